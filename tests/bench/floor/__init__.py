"""The load benchmark's floor (issue 18): the cheapest Django page a machine can serve under kb's gunicorn.

A bare Django project, no middleware and no apps, whose one view reads one row of stored HTML (a real kb
article page) from the same database with the same connection settings. Run under the same
``deploy/gunicorn.conf.py`` and driven by the same locust users and think time, it tells what the machine,
gunicorn, the database round trip and the load generator cost on their own, so that kb's figures can be
given as ratios to it: an absolute req/s does not travel between machines; a ratio does.
"""
