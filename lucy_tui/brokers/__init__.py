"""Broker sessions: each package maps one broker's wire protocol onto :mod:`.base`."""
