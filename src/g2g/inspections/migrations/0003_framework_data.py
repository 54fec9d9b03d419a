"""The inspection frameworks the report reader knows, as data (issue 18).

Each framework: how its reports name themselves, when it was used, its judgement areas (with the
wordings reports use) and grade words, whether it grades overall effectiveness and how reports
say so, and the headings its findings come under. Patterns are case-insensitive regular
expressions over the report's text with its whitespace collapsed to single spaces; in overall
wordings `{grade}` stands for the framework's grade words and `(?P<grade>…)` marks the grade.

A new framework (the one planned for 2027) is a new migration adding a row here, not new code.
Sources: Ofsted's published reports (the ten in demo-data/inspection-reports, 2013-2024), the
ILACS framework and inspector handbooks (2018, updated 2023; the overall effectiveness
judgement removed from April 2026), the single inspection framework (2013-2018) and the
inspections of looked after children services (2012-2013); focused visit, monitoring visit
and JTAI letters as Ofsted publish them.
"""

from django.db import migrations

EP = "(?:the )?experiences? and progress of "
GRADES = [
    ["Outstanding", ["outstanding"]],
    ["Good", ["good"]],
    ["Requires improvement to be good", ["requires improvement(?:,? to (?:be|become) good)?"]],
    ["Inadequate", ["inadequate"]],
]
SIF_GRADES = [*GRADES, ["Not judged", ["not judged"]]]
OLDER_GRADES = [
    ["Outstanding", [r"grade 1 \( ?outstanding ?\)", "outstanding"]],
    ["Good", [r"grade 2 \( ?good ?\)", "good"]],
    ["Adequate", [r"grade 3 \( ?adequate ?\)", "adequate"]],
    ["Inadequate", [r"grade 4 \( ?inadequate ?\)", "inadequate"]],
    ["Not judged", ["not judged"]],
]
RI_IN_WORDS = (
    r"(?P<grade>(?:requires? )?improvement(?:,? to (?:be|become) good)?|inadequate|good"
    r"|outstanding)\b"
)
ILACS_FINDINGS = [
    [r"what needs to improve(?: in [^?]{1,80})?", "recommendation"],
    ["recommendations", "recommendation"],
]
ILACS_AREAS = [
    [
        "Impact of leaders on social work practice with children and families",
        [r"(?:the )?impact of leaders on social work practice(?: with children and families)?"],
        True,
    ],
    [
        "Experiences and progress of children who need help and protection",
        [EP + "children who need help and protection"],
        True,
    ],
]
APART = [
    ["Experiences and progress of children in care", [EP + "children in care"], True],
    ["Experiences and progress of care leavers", [EP + "care leavers"], True],
]

FRAMEWORKS = [
    {
        "key": "focused-visit",
        "name": "Focused visit (letter)",
        "type": "Focused visit",
        "order": 10,
        "title": r"^\s*focused visit (?:to|of)\b",
        "first_used": "2018-01-01",
        "graded": False,
        "overall": False,
        "findings": [
            ["areas? for priority action", "priority"],
            [r"what needs to improve(?: in (?:this|these) areas? of (?:social work )?practice)?", "improvement"],
            ["areas? for improvement", "improvement"],
            ["strengths", "strength"],
        ],
    },
    {
        "key": "monitoring-visit",
        "name": "Monitoring visit (letter)",
        "type": "Monitoring visit",
        "order": 11,
        "title": r"^\s*monitoring visit (?:to|of)\b",
        "first_used": "2016-06-01",
        "graded": False,
        "overall": False,
        "findings": [
            ["areas? covered by (?:the|this) visit", "reviewed"],
            ["headline findings", "progress"],
            ["areas? for priority action", "priority"],
            ["areas? for improvement", "improvement"],
            ["what needs to improve", "improvement"],
        ],
    },
    {
        "key": "jtai",
        "name": "Joint targeted area inspection (letter)",
        "type": "JTAI",
        "order": 12,
        "title": r"^\s*joint targeted area inspection\b",
        "first_used": "2016-02-01",
        "graded": False,
        "overall": False,
        "lead_named": False,  # signed by the inspectorates' national directors
        "findings": [
            ["areas? for priority action", "priority"],
            ["what needs to improve", "improvement"],
            ["areas? for improvement", "improvement"],
            ["strengths", "strength"],
        ],
    },
    {
        "key": "sif",
        "name": "Single inspection framework (SIF), 2013–2018",
        "type": "SIF",
        "order": 20,
        "title": r"inspection of services for children in need of help and protection",
        "first_used": "2013-11-01",
        "last_used": "2018-03-31",
        "grades": SIF_GRADES,
        "overall_wordings": [
            r"children['’]s services in [^.]{1,60}? (?:are |is )?" + RI_IN_WORDS,
            r"(?:the )?overall judgement (?:is|was)(?: that)?(?: (?:the )?(?:children['’]s services"
            r"|local authority|services)[^.]{0,80}?)? (?:are |is |remains? )?[‘'\"“]?"
            + RI_IN_WORDS,
            r"(?:the )?overall judgement (?:is|was)(?: that)?:? [‘'\"“]?(?P<grade>{grade})",
            r"overall effectiveness ?:? ?(?P<grade>{grade})",
        ],
        "findings": [
            ["recommendations", "recommendation"],
            ["what does the local authority need to improve", "recommendation"],
            ["priority and immediate action", "recommendation"],
            ["areas? for improvement", "recommendation"],
            [r"(?:the local authority['’]s |key |areas of )?strengths?", "strength"],
        ],
        "areas": [
            [
                "Children who need help and protection",
                [f"(?:{EP})?children who need help and protection"],
                True,
            ],
            [
                "Children looked after and achieving permanence",
                [f"(?:{EP})?children looked after and achieving permanence"],
                True,
            ],
            ["Adoption performance", ["adoption performance"], True],
            ["Experiences and progress of care leavers", [EP + "care leavers"], True],
            ["Leadership, management and governance", ["leadership, management and governance"], True],
            [
                "Effectiveness of the LSCB",
                [
                    r"(?:the effectiveness of )?(?:the )?local safeguarding children board"
                    r"(?: \(lscb\))?(?: is| are)?"
                ],
                False,
            ],
        ],
    },
    {
        "key": "looked-after-2012",
        "name": "Inspection of looked after children services, 2012–2013",
        "type": "Looked after children",
        "order": 30,
        "title": r"inspection of (?:safeguarding and )?looked after children['’]?s? services",
        "first_used": "2012-06-01",
        "last_used": "2013-11-30",
        "grades": OLDER_GRADES,
        "overall_wordings": [
            r"overall effectiveness(?: of (?:the )?services for looked after children"
            r"(?: and young people)?)? ?:? ?(?P<grade>{grade})",
        ],
        "findings": [
            ["areas? for improvement", "recommendation"],
            ["recommendations", "recommendation"],
            ["what does the local authority need to improve", "recommendation"],
        ],
        "areas": [
            ["Capacity to improve", ["capacity (?:to|for) improve(?:ment)?"], False],
            [
                "Outcomes for looked after children and young people",
                ["outcomes for looked after children(?: and young people)?"],
                False,
            ],
            ["Quality of provision", ["quality of provision"], False],
            ["Leadership and management", ["leadership and management"], False],
        ],
    },
    {
        "key": "ilacs-2018",
        "name": "ILACS, 2018 (children in care and care leavers judged together)",
        "type": "ILACS",
        "order": 40,
        "title": r"\binspection of (?:[^.]{0,120}? )?children['’]s (?:social care )?services",
        "first_used": "2018-01-01",
        "last_used": "2022-12-31",
        "grades": GRADES,
        "overall_wordings": [r"overall effectiveness ?:? ?(?P<grade>{grade})"],
        "findings": ILACS_FINDINGS,
        "areas": [
            *ILACS_AREAS,
            [
                "Experiences and progress of children in care and care leavers",
                [EP + "children in care and care leavers"],
                True,
            ],
        ],
    },
    {
        "key": "ilacs-2023",
        "name": "ILACS, 2023 (children in care and care leavers judged apart)",
        "type": "ILACS",
        "order": 41,
        "title": r"\binspection of (?:[^.]{0,120}? )?children['’]s (?:social care )?services",
        "first_used": "2023-01-01",
        "last_used": "2026-03-31",
        "grades": GRADES,
        "overall_wordings": [r"overall effectiveness ?:? ?(?P<grade>{grade})"],
        "findings": ILACS_FINDINGS,
        "areas": [*ILACS_AREAS, *APART],
    },
    {
        "key": "ilacs-2026",
        "name": "ILACS, from April 2026 (no overall effectiveness grade)",
        "type": "ILACS",
        "order": 42,
        "title": r"\binspection of (?:[^.]{0,120}? )?children['’]s (?:social care )?services",
        "first_used": "2026-04-01",
        "grades": GRADES,
        "overall": False,
        "findings": ILACS_FINDINGS,
        "areas": [*ILACS_AREAS, *APART],
    },
]


def add_frameworks(apps, schema_editor):
    Framework = apps.get_model("inspections", "Framework")
    FrameworkArea = apps.get_model("inspections", "FrameworkArea")
    for data in FRAMEWORKS:
        data = dict(data)
        areas = data.pop("areas", [])
        framework = Framework.objects.create(**data)
        FrameworkArea.objects.bulk_create(
            FrameworkArea(framework=framework, order=n, name=name, wordings=wordings, required=req)
            for n, (name, wordings, req) in enumerate(areas)
        )


def remove_frameworks(apps, schema_editor):
    apps.get_model("inspections", "Framework").objects.filter(
        key__in=[data["key"] for data in FRAMEWORKS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_frameworks")]

    operations = [migrations.RunPython(add_frameworks, remove_frameworks)]
