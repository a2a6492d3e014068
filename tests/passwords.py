"""A quick password hasher for the suite: Django's own PBKDF2, with fewer rounds.

Most tests make a user or sign one in, and none of them is about the hash, which with the
default million rounds costs a good part of a second each time on a busy machine. The hashes
keep Django's ``pbkdf2_sha256$<rounds>$...`` form, which carries its round count: a process the
test starts with the site's default settings (a worker, a web server) checks them all the same.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000
