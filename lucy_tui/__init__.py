"""Lucy: a keyboard-driven terminal trading console for Korean fund managers."""

__version__ = "0.1.0"
