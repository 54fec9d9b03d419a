"""A synthetic Annex A return: realistic enough to demonstrate and benchmark the analytics,
entirely made up, with data-quality faults planted at known rates.

Children's journeys follow the front door: contacts, about 4 in 10 becoming referrals, most
referrals assessed, a third of assessments leading to a section 47 enquiry, about 3 in 10 of
those to an initial conference and most conferences to a plan; beside them children already on
plans, in need, in care, leaving care and being adopted. Rates sit near England's published
figures (docs/annex-a.md): re-referrals about 22%, assessments within 45 working days about
86%, ICPCs within 15 working days about 80%, CP plans lasting 2 years or more a few percent.
Ethnicity follows roughly the mix of children in need in England.

The data are clean except for the planted faults (`FAULTS`): each is planted in an exact
number of rows (its rate of the list's rows, rounded), on rows that have no other fault, so a
correct data-quality check finds exactly `Generated.faults`. Vectorised with numpy and polars:
a million rows take seconds; writing them to .xlsx takes longer (xlsxwriter).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import BinaryIO

import numpy as np
import polars as pl
import xlsxwriter

from g2g.core.dates import months_before

from .spec import ListSpec, Spec, load_spec

DAY = 365.25

# Planted faults: (list, column, check, share of the list's rows).
FAULTS = [
    ("contacts", "ethnicity", "missing", 0.01),
    ("contacts", "contact_date", "future_date", 0.002),
    ("contacts", "child_id", "duplicate", 0.005),
    ("referrals", "gender", "invalid_code", 0.005),
    ("referrals", "referral_date", "invalid_date", 0.003),
    ("referrals", "birth_date", "birth_after_event", 0.003),
    ("assessments", "authorised_date", "end_before_start", 0.004),
    ("assessments", "worker", "missing", 0.01),
    ("children_in_care", "placements_12_months", "invalid_number", 0.005),
    ("care_leavers", "activity", "invalid_code", 0.01),
]
# Share of the child protection plans started in the window whose ICPC is left out of List 5.
PLANS_WITHOUT_ICPC = 0.02

ETHNICITY = {
    "a) WBRI": 0.64,
    "b) WIRI": 0.003,
    "c) WIRT": 0.002,
    "d) WOTH": 0.05,
    "e) WROM": 0.007,
    "f) MWBC": 0.02,
    "g) MWBA": 0.01,
    "h) MWAS": 0.015,
    "i) MOTH": 0.025,
    "j) AIND": 0.01,
    "k) APKN": 0.03,
    "l) ABAN": 0.01,
    "m) AOTH": 0.012,
    "n) BCRB": 0.012,
    "o) BAFR": 0.03,
    "p) BOTH": 0.01,
    "q) CHNE": 0.003,
    "r) OOTH": 0.02,
    "s) REFU": 0.005,
    "t) NOBT": 0.086,
}
GENDER = {"a) Male": 0.51, "b) Female": 0.48, "c) Not stated/recorded": 0.01}
GENDER_SPELLINGS = {"a) Male": "M", "b) Female": "female"}  # some councils write these
SOURCE = {
    "q) 6: Police": 0.29,
    "e) 2A: Schools": 0.2,
    "g) 3A: Health services": 0.05,
    "h) 3B: Health services": 0.03,
    "k) 3E: Health services": 0.03,
    "l) 3F: Health services": 0.04,
    "n) 5A: LA services": 0.05,
    "o) 5B: LA services": 0.03,
    "p) 5C: LA services": 0.02,
    "a) 1A: Individual": 0.06,
    "c) 1C: Individual": 0.02,
    "d) 1D: Individual": 0.02,
    "m) 4: Housing": 0.03,
    "f) 2B: Education services": 0.02,
    "r) 7: Other legal agency": 0.03,
    "s) 8: Other": 0.04,
    "t) 9: Anonymous": 0.02,
    "u) 10: Unknown": 0.04,
}
YES_NO = {"a) Yes": 0.5, "b) No": 0.5}
TEAMS = [f"Assessment Team {n}" for n in range(1, 7)] + ["Child Protection Team", "Care Team"]


@dataclass
class Generated:
    """The lists as text (keyed by list, columns by column key), and the faults planted."""

    authority: str
    snapshot: date
    spec: Spec
    lists: dict[str, pl.DataFrame] = field(default_factory=dict)
    faults: dict[tuple[str, str, str], int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(frame.height for frame in self.lists.values())

    def fault_counts(self) -> dict[str, int]:
        """Rows planted with each kind of fault, as the data-quality report counts them."""
        counts: dict[str, int] = {}
        for (_list, _column, check), count in self.faults.items():
            if count:
                counts[check] = counts.get(check, 0) + count
        return dict(sorted(counts.items()))


class _Maker:
    """Draws for one return; dates are held as days before the snapshot (0 = the snapshot)."""

    def __init__(self, authority: str, children: int, seed: int, snapshot: date) -> None:
        self.rng = np.random.default_rng(seed)
        self.snapshot = snapshot
        self.window = (snapshot - months_before(snapshot, 6)).days - 1  # offsets 0..window
        self.prefix = "".join(ch for ch in authority.upper() if ch.isalpha())[:3] or "LA"
        self.children = children
        self.next_child = 0
        self.people: dict[int, tuple] = {}

    # -- drawing helpers ---------------------------------------------------------------------

    def choice(self, weights: dict[str, float], size: int) -> np.ndarray:
        labels = list(weights)
        p = np.array(list(weights.values()), dtype=float)
        return self.rng.choice(np.array(labels, dtype=object), size=size, p=p / p.sum())

    def chance(self, share: float, size: int) -> np.ndarray:
        return self.rng.random(size) < share

    def between(self, low, high, size: int) -> np.ndarray:
        """Whole numbers from low to high, both included (arrays or numbers)."""
        low, high = np.asarray(low), np.asarray(high)
        return (low + np.floor(self.rng.random(size) * (high - low + 1))).astype(np.int64)

    def new_children(self, count: int) -> np.ndarray:
        first = self.next_child
        self.next_child += count
        return np.arange(first, first + count)

    # -- people --------------------------------------------------------------------------------

    def people_for(self, ids: np.ndarray, youngest_days, oldest_days) -> None:
        """Birth (days before the snapshot), gender and ethnicity of new children."""
        size = len(ids)
        birth = self.between(youngest_days, oldest_days, size)
        gender = self.choice(GENDER, size)
        spelled = self.chance(0.05, size)
        gender = np.where(
            spelled, np.vectorize(lambda g: GENDER_SPELLINGS.get(g, g))(gender), gender
        )
        ethnicity = self.choice(ETHNICITY, size)
        disability = self.choice({"b) No": 0.9, "a) Yes": 0.08, "c) Unknown": 0.02}, size)
        self.people[int(ids[0]) if size else -1] = (ids, birth, gender, ethnicity, disability)

    def person_columns(self, child: np.ndarray, disability: bool = False) -> dict:
        ids = np.concatenate([p[0] for p in self.people.values()])
        order = np.argsort(ids)
        table = [np.concatenate([p[i] for p in self.people.values()])[order] for i in range(5)]
        position = np.searchsorted(table[0], child)
        birth = table[1][position]
        columns = {
            "child_id": child,
            "gender": table[2][position],
            "ethnicity": table[3][position],
            "birth_date": birth,
            "age": np.floor(birth / DAY).astype(np.int64),
        }
        if disability:
            columns["disability"] = table[4][position]
        return columns

    def allocated(self, size: int) -> dict:
        return {
            "team": self.rng.choice(np.array(TEAMS, dtype=object), size),
            "worker": np.char.add("Worker ", self.between(1, 400, size).astype(str)).astype(object),
        }


def generate(
    authority: str, children: int, seed: int = 1, snapshot: date | None = None
) -> Generated:
    """A synthetic return for about `children` children (rows come to about 2.4 per child)."""
    from g2g.core.dates import today

    snapshot = snapshot or today()
    maker = _Maker(authority, children, seed, snapshot)
    lists = _build(maker, children)
    generated = Generated(authority, snapshot, load_spec())
    for key, columns in lists.items():
        generated.lists[key] = _as_text(maker, columns)
    _plant_faults(maker, generated)
    return generated


def _build(m: _Maker, n: int) -> dict[str, dict]:
    """Every list's columns, typed: child indices, day offsets, labels, counts."""
    w = m.window
    lists: dict[str, dict] = {}

    # Front door: contacts, referrals, assessments, section 47s, new plans.
    front = m.new_children(max(1, int(n * 0.8)))
    m.people_for(front, w + 30, int(17.9 * DAY))
    size = max(1, int(len(front) * 1.1))
    contact = {"child": m.rng.choice(front, size), "contact_date": m.between(0, w, size)}
    contact["source"] = m.choice(SOURCE, size)
    contact = _unique(contact, ("child", "contact_date", "source"))
    lists["contacts"] = contact

    referred = m.chance(0.4, len(contact["child"]))
    ref_day = np.maximum(contact["contact_date"][referred] - m.between(0, 2, referred.sum()), 0)
    referral = {
        "child": contact["child"][referred],
        "referral_date": ref_day,
        "source": contact["source"][referred],
    }
    referral = _unique(referral, ("child", "referral_date", "source"))
    size = len(referral["child"])
    referral["nfa"] = m.choice({"a) Yes": 0.08, "b) No": 0.92}, size)
    again = m.chance(0.22, size)
    referral["referrals_12_months"] = np.where(again, m.between(1, 3, size), 0)
    lists["referrals"] = referral

    assessed = (referral["nfa"] == "b) No") & m.chance(0.92, size)
    start = referral["referral_date"][assessed]
    size = len(start)
    quick = m.chance(0.8, size)
    took = np.where(quick, m.between(5, 60, size), m.between(75, 110, size))
    done = start - took >= 0
    assessment = {
        "child": referral["child"][assessed],
        "start_date": start,
        "child_seen": m.choice({"a) Yes": 0.95, "b) No": 0.04, "c) Unknown": 0.01}, size),
        "authorised_date": np.where(done, start - took, -1),
        "needs_support": np.where(done, m.choice({"a) Yes": 0.6, "b) No": 0.4}, size), None),
    }
    assessment = _unique(assessment, ("child", "start_date"))
    lists["assessments"] = assessment

    enquired = m.chance(0.33, len(assessment["child"]))
    s47_start = np.maximum(assessment["start_date"][enquired] - m.between(0, 8, enquired.sum()), 0)
    section_47 = _unique(
        {"child": assessment["child"][enquired], "s47_start_date": s47_start},
        ("child", "s47_start_date"),
    )
    s47_start = section_47["s47_start_date"]
    size = len(s47_start)
    conference = m.chance(0.33, size)
    wait = np.where(m.chance(0.8, size), m.between(5, 19, size), m.between(24, 40, size))
    held = conference & (s47_start - wait >= 0)
    section_47["icpc_date"] = np.where(held, s47_start - wait, -1)
    decided = ~conference & m.chance(0.9, size)
    section_47["icpc_unnecessary"] = np.where(
        held, "b) No", np.where(decided, "a) Yes", None)
    ).astype(object)
    to_plan = held & m.chance(0.86, size)
    section_47["icpc_to_plan"] = np.where(held, np.where(to_plan, "a) Yes", "b) No"), None)
    section_47["s47_12_months"] = 1 + m.chance(0.2, size)
    section_47["icpc_12_months"] = held.astype(np.int64) + (held & m.chance(0.1, size))
    lists["section_47"] = section_47

    # Child protection: new plans from the conferences above, and plans already running.
    new_child, new_start = section_47["child"][to_plan], section_47["icpc_date"][to_plan]
    first = np.unique(new_child, return_index=True)[1]
    new_child, new_start = new_child[first], new_start[first]
    running = m.new_children(max(1, int(n * 0.04)))
    m.people_for(running, 1000, int(17.9 * DAY))
    size = len(running)
    old_start = np.where(
        m.chance(0.9, size), m.between(w + 2, 600, size), m.between(600, 990, size)
    )
    ended = m.chance(0.35, size)
    old_end = np.where(ended, m.between(0, w, size), -1)
    child = np.concatenate([new_child, running])
    start = np.concatenate([new_start, old_start])
    end = np.concatenate([np.full(len(new_child), -1), old_end])
    size = len(child)
    recent = m.chance(0.88, size)
    visit = np.where(recent, m.between(0, 12, size), m.between(20, 45, size))
    visit = np.where(end >= 0, np.maximum(end, m.between(end + 1, end + 20, size)), visit)
    visit = np.minimum(visit, start)
    review = start - 90
    abuse = {
        "a) Neglect": 0.5,
        "d) Emotional abuse": 0.38,
        "b) Physical abuse": 0.07,
        "c) Sexual abuse": 0.04,
        "e) Multiple/not recommended": 0.01,
    }
    again = m.chance(0.23, size)
    lists["child_protection"] = {
        "child": child,
        "start_date": start,
        "initial_category": m.choice(abuse, size),
        "latest_category": m.choice(abuse, size),
        "last_visit_date": visit,
        "seen_alone": m.choice({"a) Yes": 0.8, "b) No": 0.17, "c) Unknown": 0.03}, size),
        "review_date": np.where(review >= 0, review, -1),
        "end_date": end,
        "epo": m.choice({"b) No": 0.97, "a) Yes": 0.03}, size),
        "previous_plans": np.where(again, m.between(1, 2, size), 0),
        "new_plan": np.concatenate([np.ones(len(new_child), bool), np.zeros(len(running), bool)]),
    }

    # Children in need.
    cin = m.new_children(max(1, int(n * 0.06)))
    m.people_for(cin, 800, int(17.9 * DAY))
    size = len(cin)
    start = m.between(30, 730, size)
    closed = m.chance(0.3, size)
    closure = np.where(closed, m.between(0, np.minimum(w, start - 1), size), -1)
    need = {
        "N1 - Abuse or neglect": 0.55,
        "N5 - Family dysfunction": 0.15,
        "N4 - Family in acute stress": 0.1,
        "N2 - Child's disability": 0.07,
        "N3 - Parental disability or illness": 0.04,
        "N8 - Absent parenting": 0.04,
        "N6 - Socially unacceptable behaviour": 0.03,
        "N7 - Low income": 0.01,
        "N9 - Cases other than children in need": 0.01,
    }
    status = m.choice({"c) Child in need plan": 0.8, "d) Open assessment": 0.2}, size)
    reason = m.choice(
        {
            "RC7 - Services ceased for any other reason, including child no longer in need": 0.7,
            "RC8 - Case closed after assessment, no further action": 0.2,
            "RC5 - Transferred to services of another local authority": 0.1,
        },
        size,
    )
    lists["children_in_need"] = {
        "child": cin,
        "start_date": start,
        "primary_need": m.choice(need, size),
        "last_seen_date": np.where(closed, closure, m.between(0, 40, size)),
        "closure_date": closure,
        "closure_reason": np.where(closed, reason, None),
        "case_status": np.where(closed, "e) Closed episode", status),
    }

    # Children in care.
    cla = m.new_children(max(1, int(n * 0.03)))
    size = len(cla)
    start = m.between(1, 2555, size)
    m.people_for(cla, 0, 0)  # births set below, relative to each start
    birth = start + m.between(30, np.maximum(31, int(17.9 * DAY) - start), size)
    m.people[int(cla[0])] = (cla, birth, *m.people[int(cla[0])][2:])
    ceased = m.chance(0.12, size) & (start > 1)
    ceased_day = np.where(ceased, m.between(0, np.minimum(w, start - 1), size), -1)
    placements = m.choice({"1": 0.68, "2": 0.21, "3": 0.07, "4": 0.03, "5": 0.01}, size)
    legal = {
        "C2: FCO": 0.55,
        "V2: Single period under S20": 0.18,
        "C1: ICO": 0.15,
        "E1: Placement order": 0.08,
        "J1: Remanded to LA or youth detention": 0.02,
        "L2: EPO": 0.02,
    }
    placement_type = {
        "f) U6: Foster placement - not FFA": 0.42,
        "d) U4: Foster placement - long term": 0.2,
        "c) U3: Foster placement - relative - not FFA": 0.08,
        "p) K2: Children's Homes": 0.14,
        "k) P1: Placed with parents": 0.06,
        "n) H5: Residential accommodation": 0.06,
        "j) A6: Placed for adoption - order - not foster": 0.04,
    }
    provider = {
        "b) PR1: Own provision": 0.45,
        "e) PR4: Private provision": 0.45,
        "c) PR2: Other LA provision": 0.05,
        "f) PR5: Voluntary/third sector": 0.05,
    }
    missing = np.where(m.chance(0.1, size), m.between(1, 6, size), 0)
    reasons = {
        "e) E4A: Returned home to live with parents or relatives - part of planning": 0.4,
        "i) E45: Special Guardianship Orders - former carer relative/friend": 0.15,
        "a) E11: Adopted - application unopposed": 0.1,
        "m) E5: Moved into independent living - supported": 0.2,
        "v) E17: Aged 18+ and remained with current carers": 0.15,
    }
    lists["children_in_care"] = {
        "child": cla,
        "uasc": m.choice({"b) No": 0.93, "a) Yes": 0.07}, size),
        "start_date": start,
        "category_of_need": m.choice(need, size),
        "repeat_period": m.choice({"b) No": 0.95, "a) Yes": 0.05}, size),
        "legal_status_start": m.between(np.maximum(ceased_day + 1, 0), start, size),
        "legal_status": m.choice(legal, size),
        "review_date": np.where(start > 20, m.between(0, np.minimum(start, 180), size), -1),
        "visit_date": m.between(0, np.minimum(start, 42), size),
        "permanence_plan": m.choice(
            {
                "f) Long-term fostering": 0.4,
                "a) Return to family": 0.2,
                "c) SGO/CAO": 0.15,
                "b) Adoption": 0.1,
                "g) other": 0.15,
            },
            size,
        ),
        "iro_date": m.between(0, np.minimum(start, 120), size),
        "health_date": m.between(0, np.minimum(start, 360), size),
        "dental_date": m.between(0, np.minimum(start, 360), size),
        "placements_12_months": placements,
        "ceased_date": ceased_day,
        "ceased_reason": np.where(ceased, m.choice(reasons, size), None),
        "placement_start": m.between(np.maximum(ceased_day + 1, 0), start, size),
        "placement_type": m.choice(placement_type, size),
        "provider": m.choice(provider, size),
        "postcode": m.rng.choice(
            np.array(["OL1", "OL8", "SK14", "M35", "BB1", "LS9"], object), size
        )
        + " 1AA",
        "urn": np.where(
            m.chance(0.2, size),
            np.char.add("SC", m.between(100000, 999999, size).astype(str)),
            None,
        ),
        "location": m.choice({"a) In": 0.7, "b) Out": 0.3}, size),
        "placement_la": np.full(size, m.prefix, dtype=object),
        "missing_12_months": missing,
        "absent_12_months": np.where(m.chance(0.1, size), m.between(1, 4, size), 0),
        "return_offered": np.where(missing > 0, "a) Yes", None),
        "return_accepted": np.where(missing > 0, m.choice(YES_NO, size), None),
    }

    # Care leavers, aged 17 to 21.
    leavers = m.new_children(max(1, int(n * 0.015)))
    m.people_for(leavers, int(17 * DAY) + 1, int(22 * DAY) - 2)
    size = len(leavers)
    activity = {
        "F2: Full time in education other than higher": 0.15,
        "F1: Full time in higher education": 0.06,
        "F3: Full time in training or employment": 0.18,
        "P3: Part time in training or employment": 0.08,
        "F4: Young person engaged full time in an apprenticeship": 0.06,
        "P2: Part time in education other than higher": 0.03,
        "G5: Not in education, employment or training - other": 0.25,
        "G4: Not in education, employment or training - illness or disability": 0.08,
        "G6: Not in education, employment or training - pregnancy or parenting": 0.05,
    }
    reviewed = m.chance(0.85, size)
    lists["care_leavers"] = {
        "child": leavers,
        "uasc": m.choice({"b) No": 0.85, "a) Yes": 0.15}, size),
        "personal_advisor": np.char.add("Adviser ", m.between(1, 60, size).astype(str)).astype(
            object
        ),
        "eligibility": m.choice(
            {
                "b) Former relevant child": 0.8,
                "c) Qualifying care leaver": 0.1,
                "a) Relevant child": 0.1,
            },
            size,
        ),
        "pathway_review_date": np.where(
            reviewed, m.between(0, w - 5, size), m.between(w + 10, 500, size)
        ),
        "in_touch": m.choice({"a) Yes": 0.9, "b) No": 0.06, "e) NREQ": 0.04}, size),
        "contact_date": m.between(0, 60, size),
        "accommodation": m.choice(
            {
                "D: Semi-independent, transitional accommodation and "
                "self-contained accommodation": 0.3,
                "U: Independent living": 0.3,
                "Z: With former foster carers": 0.15,
                "B: Parents/relatives": 0.15,
                "E: Supported lodgings": 0.1,
            },
            size,
        ),
        "suitability": m.choice({"a) Suitable": 0.88, "b) Unsuitable": 0.07, "": 0.05}, size),
        "activity": m.choice({**activity, "": 0.06}, size),
    }

    # Adoption: children with a should-be-placed decision.
    adopted = m.new_children(max(1, int(n * 0.003)))
    size = len(adopted)
    entered = m.between(400, 1500, size)
    m.people_for(adopted, 0, 0)
    birth = entered + m.between(1, 3 * 365, size)
    m.people[int(adopted[0])] = (adopted, birth, *m.people[int(adopted[0])][2:])
    adm = entered - m.between(60, 300, size)
    ordered = m.chance(0.5, size)
    lists["adoption"] = {
        "child": adopted,
        "entered_care_date": entered,
        "adm_date": adm,
        "placement_order_date": adm - m.between(1, 50, size),
        "matched_date": np.where(ordered, m.between(w + 1, np.maximum(w + 1, adm - 60), size), -1),
        "adoption_order_date": np.where(ordered, m.between(0, w, size), -1),
    }

    # Early help assessments.
    helped = m.new_children(max(1, int(n * 0.08)))
    m.people_for(helped, w + 30, int(17.9 * DAY))
    size = len(helped)
    start = m.between(0, w, size)
    took = m.between(10, 60, size)
    lists["early_help"] = {
        "child": helped,
        "start_date": start,
        "completion_date": np.where(start - took >= 0, start - took, -1),
        "organisation": m.choice(
            {"Early Help Team": 0.6, "School": 0.25, "Health visiting": 0.15}, size
        ),
    }
    return lists


def _unique(columns: dict, keys: tuple[str, ...]) -> dict:
    """Rows with a repeated key dropped (generated data start with no duplicates)."""
    frame = pl.DataFrame({key: columns[key] for key in keys})
    keep = frame.select(pl.struct(keys).is_first_distinct()).to_series().to_numpy()
    return {name: values[keep] for name, values in columns.items()}


def _as_text(m: _Maker, columns: dict) -> pl.DataFrame:
    """The list as the text cells of a workbook, in the spec's column order."""
    child = columns["child"]
    person = m.person_columns(child, disability=True)
    data: dict[str, pl.Series] = {}
    snapshot = np.datetime64(m.snapshot, "D")
    for name, values in {**person, **columns}.items():
        if name in ("child", "new_plan"):
            continue
        if name == "child_id":
            numbers = pl.Series(values, dtype=pl.Int64).cast(pl.String).str.zfill(7)
            data[name] = m.prefix + numbers
        elif name.endswith("_date") or name in ("placement_start", "legal_status_start"):
            days = np.asarray(values, dtype=np.int64)
            series = pl.Series(name, snapshot - days.astype("timedelta64[D]")).cast(pl.Date)
            given = pl.Series(days >= 0)
            data[name] = pl.select(pl.when(given).then(series.dt.strftime("%d/%m/%Y"))).to_series()
        elif values.dtype.kind in "iub":
            data[name] = pl.Series(name, values.astype(np.int64)).cast(pl.String)
        else:
            text = pl.Series(name, np.asarray(values).tolist(), dtype=pl.String)
            data[name] = pl.select(pl.when(text.str.len_chars() > 0).then(text)).to_series()
    data.update(m.allocated(len(child)))
    frame = pl.DataFrame({name: value for name, value in data.items()}, strict=False)
    return frame


def _plant_faults(m: _Maker, generated: Generated) -> None:
    """Plant each fault in its exact number of rows, each row at most one fault."""
    spoiled: dict[str, set[int]] = {}
    for key, column, check, share in FAULTS:
        frame = generated.lists[key]
        count = math.floor(frame.height * share + 0.5)
        rows = _clean_rows(m, frame, spoiled.setdefault(key, set()), count, check, column)
        generated.lists[key] = _spoil(m, frame, rows, column, check)
        generated.faults[(key, column, check)] = len(rows)
    _drop_icpcs(m, generated)


def _clean_rows(m, frame, spoiled, count, check, column) -> list[int]:
    """`count` rows with no fault yet, fit for this fault."""
    candidates = np.setdiff1d(np.arange(frame.height), np.fromiter(spoiled, np.int64))
    if check == "birth_after_event":  # the day after the event must not be in the future
        day = frame["referral_date"].str.to_date("%d/%m/%Y", strict=False)
        fit = (day < m.snapshot).fill_null(False).to_numpy()
        candidates = candidates[fit[candidates]]
    if check == "end_before_start":
        candidates = candidates[frame["start_date"].is_not_null().to_numpy()[candidates]]
    if check == "invalid_code" and column == "activity":
        candidates = candidates[frame["activity"].is_not_null().to_numpy()[candidates]]
    rows = m.rng.choice(candidates, size=min(count, len(candidates)), replace=False)
    spoiled.update(int(row) for row in rows)
    return sorted(int(row) for row in rows)


def _spoil(m: _Maker, frame: pl.DataFrame, rows: list[int], column: str, check: str):
    if check == "duplicate":
        return pl.concat([frame, frame[rows]])
    picked = pl.Series(np.isin(np.arange(frame.height), rows))
    current = pl.col(column)
    if check == "missing":
        new = pl.lit(None, pl.String)
    elif check == "future_date":
        later = pl.lit(m.snapshot) + pl.duration(days=pl.int_range(0, pl.len()) % 300 + 30)
        new = later.dt.strftime("%d/%m/%Y")
    elif check == "invalid_code":
        new = pl.lit("X")
    elif check == "invalid_date":
        new = pl.lit("31/02/") + current.str.slice(6, 4)
    elif check == "invalid_number":
        new = pl.lit("two")
    elif check == "birth_after_event":
        event = pl.col("referral_date").str.to_date("%d/%m/%Y", strict=False)
        new = (event + pl.duration(days=1)).dt.strftime("%d/%m/%Y")
    elif check == "end_before_start":
        start = pl.col("start_date").str.to_date("%d/%m/%Y", strict=False)
        new = (start - pl.duration(days=3)).dt.strftime("%d/%m/%Y")
    else:
        raise ValueError(check)
    return frame.with_columns(pl.when(picked).then(new).otherwise(current).alias(column))


def _drop_icpcs(m: _Maker, generated: Generated) -> None:
    """Leave out of List 5 the conference of some new plans (whose child had one conference)."""
    s47, plans = generated.lists["section_47"], generated.lists["child_protection"]
    icpcs = s47.filter(pl.col("icpc_date").is_not_null())
    once = icpcs.group_by("child_id").len().filter(pl.col("len") == 1)["child_id"]
    start = plans["start_date"].str.to_date("%d/%m/%Y", strict=False)
    window_start = months_before(m.snapshot, 6) + timedelta(days=1)
    new = plans.filter(start >= window_start)
    candidates = new.filter(pl.col("child_id").is_in(once.implode()))["child_id"].to_numpy()
    count = min(math.floor(new.height * PLANS_WITHOUT_ICPC + 0.5), len(candidates))
    dropped = m.rng.choice(candidates, size=count, replace=False) if count else []
    generated.lists["section_47"] = s47.filter(
        ~(
            pl.col("child_id").is_in(pl.Series(dropped, dtype=pl.String).implode())
            & pl.col("icpc_date").is_not_null()
        )
    )
    generated.faults[("child_protection", "start_date", "cp_plan_without_icpc")] = count


# ---------------------------------------------------------------------------------------------
# Writing


def _headed(spec: ListSpec, frame: pl.DataFrame) -> pl.DataFrame:
    columns = [
        (pl.col(c.key) if c.key in frame.columns else pl.lit(None, pl.String)).alias(c.header)
        for c in spec.columns
    ]
    return frame.select(columns)


def write_xlsx(generated: Generated, path: Path | BinaryIO) -> Path | BinaryIO:
    """One sheet per list ("List 1" …), a header row, dates as dd/mm/yyyy text as ChAT takes."""
    target = path if hasattr(path, "write") else str(path)
    options = {"in_memory": True} if hasattr(path, "write") else {"constant_memory": True}
    workbook = xlsxwriter.Workbook(target, options | {"strings_to_numbers": False})
    for key, frame in generated.lists.items():
        spec = generated.spec.list(key)
        sheet = workbook.add_worksheet(f"List {spec.number}")
        table = _headed(spec, frame)
        sheet.write_row(0, 0, table.columns)
        for index, row in enumerate(table.iter_rows(), start=1):
            sheet.write_row(index, 0, row)
    workbook.close()
    return path


def write_csv_folder(generated: Generated, folder: Path) -> Path:
    """One CSV per list, named "List 1.csv" …"""
    folder.mkdir(parents=True, exist_ok=True)
    for key, frame in generated.lists.items():
        spec = generated.spec.list(key)
        _headed(spec, frame).write_csv(folder / f"List {spec.number}.csv")
    return folder
