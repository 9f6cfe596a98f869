"""De tre husene (#8): what the child kept for the kontaktperson reaches nobody else — not the
leader's view of the case, and not a parent's own «my data» file."""

from __future__ import annotations

import json

from companion.access import field_visible
from companion.participants import my_data, my_data_file


def _houses(services, people):
    omar = people["omar"]
    results = services.conversations.results_for(omar.id).get("houses") or []
    assert results, "the demo has Omar's three houses"
    return omar, results[-1].data


def _words(data, key):
    return [i["text"] for i in data.get(key) or [] if isinstance(i, dict)]


def test_a_parents_data_file_holds_none_of_the_childs_words(services, people) -> None:
    _omar, data = _houses(services, people)
    words = [w for key in ("good", "worries", "dreams") for w in _words(data, key)]
    assert words
    nadia = people["nadia"]
    text = my_data_file(my_data(nadia, services.conversations, services.inbox_store)).decode()
    assert json.loads(text)["participant"]["name"] == nadia.display_name
    leaked = [w for w in words if w in text]
    assert leaked == []


def test_the_childs_own_file_is_theirs_and_the_leader_sees_only_what_was_shared(
    services, people, kari
) -> None:
    from tui.i18n import Texts
    from tui.viewmodels.houses import houses_view

    omar, data = _houses(services, people)
    own = my_data_file(my_data(omar, services.conversations, services.inbox_store)).decode()
    for key in ("good", "worries", "dreams"):
        for word in _words(data, key):
            assert word in own  # a copy of one's own answers is complete
    texts = Texts(services.localizer, "nb")
    view = houses_view(data, omar.display_name, "", "leader", texts)
    hidden = [h for h in view.houses if not field_visible(data, h.key, "leader")]
    assert hidden and any(_words(data, h.key) for h in hidden)  # the demo keeps some back
    for house in view.houses:
        if field_visible(data, house.key, "leader"):
            continue
        assert house.words is None  # hidden, not just empty
        for word in _words(data, house.key):
            assert word not in repr(view)
