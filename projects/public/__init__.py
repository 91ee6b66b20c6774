"""The public side of funded projects: what anyone may read without an account.

Privacy by construction: every public page, export and endpoint reads through `records.py`, which names
the fields it shows. Nothing here returns a model instance to a template or serializer; personal data
(names of private people, phones, e-mails, CURP, CLABE, home addresses) has no field to travel in.
"""
