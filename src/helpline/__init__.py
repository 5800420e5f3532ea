"""Helpline: software for hotlines and information centres that help labour migrants."""
