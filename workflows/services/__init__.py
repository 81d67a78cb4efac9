"""Write operations of the shared engine. Every write goes through a function here."""
