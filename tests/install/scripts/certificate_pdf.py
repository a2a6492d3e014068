"""Run inside a host site with `manage.py shell -c`: prints the path of the PDF of the
certificate whose id is in $CERTIFICATE once a worker has rendered it, else nothing."""

import os
import sys

from lms.certificates.models import Certificate

certificate = Certificate.objects.get(pk=os.environ["CERTIFICATE"])
if certificate.pdf_ready:
    sys.stdout.write(f"{certificate.pdf.path}\n")
