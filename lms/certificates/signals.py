from django.dispatch import Signal

# Emitted when a certificate is issued: once per certificate (a reissue is a new certificate),
# after the transaction that created it has committed. The PDF may still be rendering. Sent by
# lms.certificates.issuing.
# Arguments:
#   certificate: the Certificate row
#   learner: the user it was issued to
#   course_key: the translation_key of the completed course
certificate_issued = Signal()
