"""The gangway watch's pages: the scan page and the check by hand."""
