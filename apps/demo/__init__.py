"""The fictional demo (``make run``): the ``load_demo`` and ``demo_code`` commands.

Laptop and test settings install this app; production settings do not, so demo people with
a published password and authenticator secret can never be loaded into a live site."""
