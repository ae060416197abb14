"""The research ideas beside the action form, and the text a team starts an action from."""

import re
from dataclasses import dataclass

# A source at the end of an idea: "(Smeets & Van Veen, 2018)", "(Hesjedal et al., 2015)",
# "(PACT-wetenschapsteam, 2017)", "(Kanste et al., 2013; Widmark et al., 2011)". Only a
# parenthesis that ends the line and holds a year is a citation; "(such as prevention)"
# mid-sentence stays.
_CITATION = re.compile(r"\s*\((?=[^()]*\b(?:1[89]|20)\d{2}[a-z]?\b)[^()]*\)\s*(?=[.!?]?\s*$)")


@dataclass(frozen=True)
class Idea:
    text: str  # as the research puts it, with its source
    start: str  # what goes into the action's text: the idea without its source


def without_citation(text: str) -> str:
    """The idea as a team would write it down: its trailing source left out."""
    return _CITATION.sub("", text).strip()


def ideas(suggestions: list[str]) -> list[Idea]:
    return [Idea(text=line, start=without_citation(line)) for line in suggestions]
