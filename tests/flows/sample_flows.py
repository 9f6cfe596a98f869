"""Small flows that exercise every node kind, for engine unit tests."""

from __future__ import annotations

import yaml

TOUR = yaml.safe_load(
    """
spec_version: 1
id: tour
title: Omvisning
audience: [youth]
default_result: tour
results:
  tour:
    fields:
      name: {type: text}
      themes: {type: list}
      top: {type: list}
      mood: {type: number}
      pets: {type: choice}
      age: {type: number}
      when: {type: date}
      ok: {type: boolean}
params:
  rate: {default: true}
entry: hello
nodes:
  - {type: message, id: hello, text: "Hei! Dette er en prøve.", next: name}
  - {type: question, kind: text, id: name, prompt: "Hva heter du?", save: {field: name}, next: themes}
  - type: collect
    id: themes
    prompt: "Hva er viktig for deg?"
    more_prompt: "Er det noe mer, {answers.name}?"
    done_label: "Nei, det er alt"
    max_items: 3
    save: {field: themes, mode: append}
    next: top
  - type: question
    kind: multi_choice
    id: top
    prompt: "Velg opptil to."
    options_from: {field: themes}
    max_choices: 2
    save: {field: top}
    next: should_rate
  - type: branch
    id: should_rate
    cases: [{when: {ref: params.rate, equals: false}, next: pets}]
    default: each_top
  - {type: loop, id: each_top, over: {field: top}, body: rate, next: pets}
  - type: question
    kind: scale
    id: rate
    prompt: "Hvor bra er «{item.text}» nå?"
    low_label: Dårlig
    high_label: Bra
    save: {field: ratings, mode: record, item: true}
    next: each_top
  - type: question
    kind: choice
    id: pets
    prompt: "Har du dyr?"
    optional: true
    options:
      - {value: dog, label: Hund}
      - {value: cat, label: Katt}
      - {value: none, label: Ingen, next: age}
    save: {field: pets}
    next: age
  - {type: question, kind: number, id: age, prompt: "Alder?", min: 4, max: 30, save: {field: age}, next: when}
  - {type: question, kind: date, id: when, prompt: "Når?", save: {field: when}, next: readback}
  - type: confirm
    id: readback
    text: "Du skrev:\\n{results.tour.themes|bullets}\\nStemmer det?"
    yes_label: "Ja"
    no_label: "Nei, endre"
    on_no: themes
    next: who
  - type: visibility
    id: who
    prompt: "Hvem kan se dette?"
    applies_to: [{field: themes}]
    options:
      - {value: kp, label: "Bare kontaktpersonen", audiences: [kontaktperson]}
      - {value: all, label: "Kontaktpersonen og foreldrene", audiences: [kontaktperson, parents]}
    next: bye
  - {type: end, id: bye, text: "Takk, {answers.name}!"}
"""
)

PARENT = yaml.safe_load(
    """
spec_version: 1
id: parent
title: Forelder
audience: [parent]
entry: intro
nodes:
  - {type: message, id: intro, text: "Først et lite spørsmål.", next: child}
  - {type: subflow, id: child, flow: child_q, next: consent}
  - type: consent
    id: consent
    consent: onboarding
    version: v1
    prompt: "Er det greit?"
    yes_label: Ja
    no_label: Nei
    on_decline: declined
    next: help_now
  - {type: question, kind: yes_no, id: help_now, prompt: "Trenger du hjelp nå?", yes_next: flag, next: done}
  - {type: flag, id: flag, severity: high, reason: asked_for_help, next: done}
  - {type: end, id: done, text: "Ferdig."}
  - {type: end, id: declined, text: "Greit."}
"""
)

CHILD_Q = yaml.safe_load(
    """
spec_version: 1
id: child_q
title: Barn
audience: [child]
default_result: child
results:
  child: {fields: {mood: {type: number}}}
entry: mood
nodes:
  - type: question
    kind: scale
    id: mood
    prompt: "Hvordan har du det?"
    min: 1
    max: 5
    faces: true
    low_label: Lei meg
    high_label: Glad
    save: {field: mood}
"""
)

LOOPY = yaml.safe_load(
    """
spec_version: 1
id: loopy
title: Løkke
audience: [youth]
entry: a
nodes:
  - {type: message, id: a, text: "a", next: b}
  - {type: message, id: b, text: "b", next: a}
"""
)

ALL = {"tour.flow.yaml": TOUR, "parent.flow.yaml": PARENT, "child_q.flow.yaml": CHILD_Q}
