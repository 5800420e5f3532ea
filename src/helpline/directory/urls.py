"""The directory's URLs, one module per part (namespace ``directory``)."""

from . import urls_entries, urls_referrals, urls_search, urls_slip, urls_transfer

app_name = "directory"

urlpatterns = [
    *urls_search.urlpatterns,
    *urls_entries.urlpatterns,
    *urls_transfer.urlpatterns,
    *urls_referrals.urlpatterns,
    *urls_slip.urlpatterns,
]
