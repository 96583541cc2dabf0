"""The console's order-entry command language, headless: parse a line into a command, check it,
echo it, turn it into an engine intent; complete the token under the cursor; keep the history.

The screens call :func:`parse` on every keystroke, show :func:`describe` of the result (or the
:class:`EntryError` at its offsets), :func:`validate` it against the quote, and post
:func:`to_intent` to the engine. See :mod:`.grammar` for the language.
"""

from .checks import EntryCheck, Guards, validate
from .commands import (
    AmendCmd, CancelAllCmd, CancelCmd, Command, EntryContext, EntryError, HelpCmd, PlaceCmd,
    PriceSpec, QuoteCmd,
)
from .complete import Candidate, Completion, complete
from .echo import describe, describe_price
from .grammar import parse, suggest, tokenize
from .help import help_lines
from .history import History
from .intent import to_intent
from .pricing import PriceUnavailable, resolve_price

__all__ = [
    "AmendCmd", "Candidate", "CancelAllCmd", "CancelCmd", "Command", "Completion", "EntryCheck",
    "EntryContext", "EntryError", "Guards", "HelpCmd", "History", "PlaceCmd", "PriceSpec",
    "PriceUnavailable", "QuoteCmd", "complete", "describe", "describe_price", "help_lines", "parse",
    "resolve_price", "suggest", "to_intent", "tokenize", "validate",
]
