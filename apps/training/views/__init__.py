"""The training pages, one module per screen: the catalogue and bookings, the organiser's
pages, registration from outside the programme, the register and records, live polls and
feedback, and reports."""
