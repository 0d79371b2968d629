from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of 30 by default; a client may ask for up to a year of days at once."""

    page_size_query_param = "page_size"
    max_page_size = 366
