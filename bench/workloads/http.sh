# Workload "http": a placeholder until its issue adds benchmarks. To enable it, make wl_http_present
# return 0 and have wl_http_run call jmh/pyrun (see core.sh), and add section_http to bench/report.py
# (without one, the report lists this workload's JMH and Python figures as they are).
wl_http_present() { return 1; }
wl_http_run() { :; }
