"""The end-of-port-call report in three forms (HTML, PDF, a zip of CSV files), and the job that
stores all three when the port call is closed (snapshot_job)."""
