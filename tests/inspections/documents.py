"""Reports and letters built to the structure of Ofsted's published ones, with what each holds,
for the reader's tests (the real reports of other authorities are kept apart from the project).

Each is built from the parts Ofsted's reports and letters are made of, in their order and
words: the SIF cover with its sentence and table (2013-2018), "What does the local authority
need to improve?" with "Priority and immediate action", "Areas for improvement" and "The local
authority's strengths" (2014), recommendations under themed sub-headings or with points under
one of them, over a page break (2015-2016), the LSCB's own recommendations after; ILACS from April
2026 with four area grades and no overall one; focused visit, monitoring visit and JTAI letters
(dates in the first sentence, "Areas for priority action", "What needs to improve …", "Areas
covered by the visit", "Headline findings", "Strengths", signed by the lead inspector or, for a
JTAI, by the inspectorates' national directors). `as_pdf` prints any of them as Ofsted's PDFs
are: A4 pages, running footer, the text as pypdf reads it back.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date

FF = "\f"  # a page break, in a report's text


@dataclass(frozen=True)
class Built:
    name: str
    text: str
    type: str
    framework: str  # the Framework key it should be read as
    start: date
    end: date
    lead: str  # "" when none is named
    overall: str  # "" when none is given
    grades: dict[str, str] = field(default_factory=dict)
    recommendations: int = 0
    first_recommendation: str = ""
    last_recommendation: str = ""
    findings: dict[str, int] = field(default_factory=dict)  # other kinds: how many


RI = "Requires improvement to be good"
SIF_BOILERPLATE = (
    "It is Ofsted’s expectation that all children and young people receive the level of help, "
    "care and protection that will ensure their safety and help prepare them for adult life."
)


def _numbered(items: list[str], first: int = 1) -> list[str]:
    return [f"{number}. {text}" for number, text in enumerate(items, first)]


def _wrap(text: str, width: int = 86) -> list[str]:
    """A paragraph as a PDF's text gives it: lines of about `width` characters."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _wrapped(items: list[str]) -> list[str]:
    return [line for item in items for line in _wrap(item)]


RECOMMENDATION_TEXTS = [
    "Ensure that all children at risk of significant harm are seen promptly and that strategy "
    "discussions take place without delay (paragraph 23).",
    "Ensure that the backlog of assessments is cleared and that all assessments are completed "
    "within timescales that meet children’s needs (paragraphs 25, 27).",
    "Improve the quality of assessments so that they analyse risk, take account of history and "
    "lead to plans with clear outcomes (paragraphs 28, 41).",
    "Make sure that child protection plans are specific, measurable and reviewed regularly so "
    "that drift is avoided (paragraph 31).",
    "Ensure that return home interviews are offered to every child who goes missing and that "
    "the information is used to reduce risk (paragraph 45).",
    "Strengthen management oversight and supervision so that managers direct practice and "
    "challenge drift (paragraphs 33, 34).",
    "Improve the timeliness of adoption for children who wait longest, including older "
    "children and brothers and sisters (paragraph 96).",
    "Ensure that all care leavers have a pathway plan that is up to date and reflects their "
    "views and aspirations (paragraph 121).",
    "Increase the range of suitable accommodation for care leavers, including for those aged "
    "over 18 (paragraph 125).",
    "Ensure that personal education plans are of good quality and that the virtual school "
    "tracks the progress of every child looked after (paragraph 77).",
    "Improve the sufficiency of local foster placements so that fewer children live far from "
    "home (paragraph 70).",
    "Ensure that independent reviewing officers challenge drift and delay and that their "
    "challenge is recorded (paragraph 92).",
    "Develop a workforce strategy that reduces the reliance on agency social workers and "
    "keeps caseloads manageable (paragraph 147).",
    "Ensure that performance information is accurate and is used by leaders to drive "
    "improvement (paragraph 139).",
    "Strengthen the quality assurance framework so that audits identify shortfalls and lead "
    "to improvement (paragraph 154).",
    "Ensure that elected members receive the information they need to scrutinise services for "
    "children effectively (paragraph 150).",
    "Ensure that the corporate parenting board hears directly from children looked after and "
    "care leavers (paragraph 151).",
    "Improve the response to children at risk of sexual exploitation so that risk is "
    "identified and reduced (paragraph 47).",
    "Ensure that private fostering arrangements are identified and assessed promptly "
    "(paragraph 52).",
    "Ensure that allegations against professionals are tracked and concluded without delay "
    "(paragraph 53).",
    "Improve the quality and timeliness of life story work for children placed for adoption "
    "(paragraph 104).",
    "Ensure that health assessments for children looked after are completed on time "
    "(paragraph 74).",
    "Ensure that disabled children receive timely assessments and services that meet their "
    "needs (paragraph 39).",
    "Ensure that the views of children are recorded and inform their plans (paragraph 30).",
    "Ensure that the local authority designated officer arrangements are effective (paragraph 54).",
]


def _sif_cover(
    authority: str, dates: str, headline: str, grades: list[tuple[str, str]]
) -> list[str]:
    return [
        authority,
        "Inspection of services for children in need of help and",
        "protection, children looked after and care leavers",
        "and",
        "Review of the effectiveness of the Local Safeguarding Children",
        "Board1",
        f"Inspection date: {dates}",
        "Report published: 1 September 2014",
        headline,
        "There are widespread or serious failures that create or leave children being harmed or",
        "at risk of harm.",
        "Leadership, management and governance require improvement when any widespread or",
        "serious failures have been identified by the local authority and they are being",
        "effectively addressed.",
        *_wrap(SIF_BOILERPLATE),
        *[
            f"{number} {area} {grade}"
            for number, (area, grade) in zip(("1.", "2.", "2.1", "2.2", "3."), grades, strict=True)
        ],
    ]


SIF_AREAS = (
    "Children who need help and protection",
    "Children looked after and achieving permanence",
    "Adoption performance",
    "Experiences and progress of care leavers",
    "Leadership, management and governance",
)


def _sif_body(help_grade: str, paragraphs: int = 12) -> list[str]:
    body = [
        "Summary for children and young people",
        "• Council managers want all children to get good help.",
        "The experiences and progress of",
        f"children who need help and protection {help_grade}",
        "Summary",
        "Children wait too long for help.",
        "Inspection findings",
    ]
    for number in range(1, paragraphs + 1):
        body += _wrap(
            f"{number}. Inspectors found that in this area social workers visit children and "
            "the quality of their work varies across the teams that were seen."
        )
    body += [
        "The Local Safeguarding Children Board",
        "The effectiveness of the LSCB requires improvement",
        "Recommendations",
        "1. Ensure that the board monitors the quality of multi-agency practice.",
        "2. Ensure that partners attend the board regularly.",
        "Information about this inspection",
        "The inspection team",
        "Lead inspector: Helen Carter HMI",
        "Deputy lead inspector: Peter Young HMI",
    ]
    return body


def sif_themed() -> Built:
    """SIF, 2014: 24 recommendations under five themed sub-headings, over a page break, with
    the LSCB's own recommendations later (the council's are the first list)."""
    themes = {
        "Children who need help and protection": RECOMMENDATION_TEXTS[0:6],
        "Children looked after and achieving permanence": RECOMMENDATION_TEXTS[6:11],
        "Adoption": RECOMMENDATION_TEXTS[20:22],
        "Leadership, management and governance": RECOMMENDATION_TEXTS[11:17],
        "Care leavers": RECOMMENDATION_TEXTS[7:9] + RECOMMENDATION_TEXTS[17:20],
    }
    lines = _sif_cover(
        "Northshire City Council",
        "14 May 2014 – 5 June 2014",
        "Children’s services in Northshire are inadequate",
        list(
            zip(
                SIF_AREAS,
                [
                    "Inadequate",
                    "Requires improvement",
                    "Inadequate",
                    "Requires improvement",
                    "Inadequate",
                ],
                strict=True,
            )
        ),
    )
    lines += [FF, "Contents", "Recommendations 9", "Executive summary 4", FF, "Recommendations"]
    number = 0
    for theme, items in themes.items():
        lines.append(theme)
        for item in items:
            number += 1
            lines += _wrap(f"{number}. {item}")
            if number == 12:
                lines += [
                    "",
                    "Inspection of services for children in need of help and protection",
                    "9",
                    FF,
                ]
    lines += _sif_body("Inadequate")
    every = [item for items in themes.values() for item in items]
    return Built(
        "sif-themed-2014",
        "\n".join(lines),
        "SIF",
        "sif",
        date(2014, 5, 14),
        date(2014, 6, 5),
        "Helen Carter",
        "Inadequate",
        {
            SIF_AREAS[0]: "Inadequate",
            SIF_AREAS[1]: RI,
            SIF_AREAS[2]: "Inadequate",
            SIF_AREAS[3]: RI,
            SIF_AREAS[4]: "Inadequate",
        },
        len(every),
        every[0],
        every[-1],
    )


def sif_points() -> Built:
    """SIF, 2016: 12 numbered recommendations, one with three bulleted points of its own."""
    texts = RECOMMENDATION_TEXTS[:12]
    lines = _sif_cover(
        "Northshire Borough Council",
        "11 January 2016 – 3 February 2016",
        "Children’s services in Northshire require improvement to be good",
        list(
            zip(
                SIF_AREAS,
                [
                    "Requires improvement",
                    "Good",
                    "Good",
                    "Requires improvement",
                    "Requires improvement",
                ],
                strict=True,
            )
        ),
    )
    lines += [FF, "Recommendations"]
    for number, text in enumerate(texts, 1):
        lines += _wrap(f"{number}. {text}")
        if number == 3:
            lines += [
                "• the history of the family is considered",
                "• the views of the child are recorded",
                "• contingency plans are clear.",
            ]
    lines += _sif_body("Requires improvement")
    return Built(
        "sif-points-2016",
        "\n".join(lines),
        "SIF",
        "sif",
        date(2016, 1, 11),
        date(2016, 2, 3),
        "Helen Carter",
        RI,
        {
            SIF_AREAS[0]: RI,
            SIF_AREAS[1]: "Good",
            SIF_AREAS[2]: "Good",
            SIF_AREAS[3]: RI,
            SIF_AREAS[4]: RI,
        },
        12,
        texts[0],
        texts[-1],
    )


def sif_2014_strengths() -> Built:
    """SIF, early 2014: 'The overall judgement is that children’s services require
    improvement'; 'What does the local authority need to improve?' with 'Priority and
    immediate action' and 'Areas for improvement' (25 in all), then 'The local authority’s
    strengths', numbered on, which are strengths, not recommendations."""
    lines = [
        "Northshire Metropolitan Borough Council",
        "Inspection of services for children in need of help and protection, children",
        "looked after and care leavers",
        "Inspection date: 18 November 2013 – 10 December 2013",
        "Report published: 24 January 2014",
        "The overall judgement is that children’s services require improvement",
        *[
            f"{area} {grade}"
            for area, grade in zip(
                SIF_AREAS,
                [
                    "Requires improvement",
                    "Requires improvement",
                    "Good",
                    "Requires improvement",
                    "Requires improvement",
                ],
                strict=True,
            )
        ],
        FF,
        "Contents",
        "What does the local authority need to improve? 4",
        "The local authority’s strengths 5",
        FF,
        "What does the local authority need to improve?",
        "Priority and immediate action",
        *_wrapped(_numbered(RECOMMENDATION_TEXTS[:3])),
        "Areas for improvement",
        *_wrapped(_numbered(RECOMMENDATION_TEXTS[3:25], 4)),
        "The local authority’s strengths",
        *_wrapped(
            _numbered(
                [
                    "Leaders know the service well and have a clear plan for improvement.",
                    "Early help services are well used by families and partners.",
                    "Children looked after live in stable placements close to home.",
                    "Care leavers are well supported by their personal advisers.",
                    "The adoption service finds families for children quickly.",
                    "Elected members are committed corporate parents.",
                    "Social workers say that they are well supported by managers.",
                    "The children in care council influences the services that children receive.",
                    "The multi-agency safeguarding hub responds quickly to concerns.",
                ],
                26,
            )
        ),
        *_sif_body("Requires improvement"),
    ]
    return Built(
        "sif-strengths-2014",
        "\n".join(lines),
        "SIF",
        "sif",
        date(2013, 11, 18),
        date(2013, 12, 10),
        "Helen Carter",
        RI,
        {
            SIF_AREAS[0]: RI,
            SIF_AREAS[1]: RI,
            SIF_AREAS[2]: "Good",
            SIF_AREAS[3]: RI,
            SIF_AREAS[4]: RI,
        },
        25,
        RECOMMENDATION_TEXTS[0],
        RECOMMENDATION_TEXTS[24],
        {"strength": 9},
    )


ILACS_2026_AREAS = (
    "Impact of leaders on social work practice with children and families",
    "Experiences and progress of children who need help and protection",
    "Experiences and progress of children in care",
    "Experiences and progress of care leavers",
)


def ilacs_2026() -> Built:
    """ILACS from April 2026: four area grades, no overall effectiveness."""
    improve = [
        "The timeliness of initial child protection conferences.",
        "The quality of plans for children in need of help and protection.",
        "The sufficiency of homes for children in care close to where they live.",
    ]
    lines = [
        "Inspection of Northshire local authority children’s services",
        "Inspection dates: 8 to 19 June 2026",
        "Lead inspector: Priya Natarajan, His Majesty’s Inspector",
        "Judgement Grade",
        *[
            f"The {area[0].lower()}{area[1:]} {grade}"
            for area, grade in zip(
                ILACS_2026_AREAS,
                ["Good", "Requires improvement to be good", "Good", "Outstanding"],
                strict=True,
            )
        ],
        "Children in Northshire receive help that makes a difference to their lives.",
        "What needs to improve?",
        *[f"• {item}" for item in improve],
        "The experiences and progress of children who need help and protection: requires",
        "improvement to be good",
        *_wrapped(
            _numbered(
                [
                    "Children and families receive a prompt response when they first need help.",
                    "Strategy meetings are timely and attended by the right agencies.",
                    "Plans for children in need are not specific enough about what must change.",
                ]
            )
        ),
        "The Office for Standards in Education, Children’s Services and Skills (Ofsted)",
    ]
    return Built(
        "ilacs-2026",
        "\n".join(lines),
        "ILACS",
        "ilacs-2026",
        date(2026, 6, 8),
        date(2026, 6, 19),
        "Priya Natarajan",
        "",
        dict(zip(ILACS_2026_AREAS, ["Good", RI, "Good", "Outstanding"], strict=True)),
        3,
        improve[0],
        improve[-1],
    )


def _letter(
    title: str, opening: str, sections: list[tuple[str, list[str]]], signature: list[str]
) -> str:
    lines = [
        "12 December 2023",
        "Ms Jane Smith",
        "Director of Children’s Services",
        "Northshire County Council",
        "County Hall",
        "Northshire NS1 1AA",
        "Dear Ms Smith",
        title,
        *_wrap(opening),
    ]
    for heading, items in sections:
        lines.append(heading)
        lines.extend(items)
    lines += [
        *_wrap(
            "Ofsted will take the findings from this visit into account when planning your "
            "next inspection or visit."
        ),
        "Yours sincerely",
        "",
        *signature,
    ]
    return "\n".join(lines)


def focused_visit() -> Built:
    """A focused visit letter, 2019: 'What needs to improve in this area of social work
    practice?' as bullets, and an area for priority action as a paragraph."""
    improve = [
        "• The quality of assessments, so that they analyse risk and consider children’s",
        "histories.",
        "• Management oversight of children in need plans.",
        "• The timeliness of strategy meetings.",
    ]
    text = _letter(
        "Focused visit to Northshire local authority children’s services",
        "This letter summarises the findings of the focused visit to Northshire local authority "
        "children’s services on 14 and 15 November 2019. Her Majesty’s Inspectors for this visit "
        "were Daniel Okafor and Ruth Ellis.",
        [
            (
                "Areas for priority action",
                _wrap(
                    "Senior leaders must urgently ensure that children who are at risk of "
                    "significant harm are seen and protected without delay, and that strategy "
                    "meetings are held whenever children may be at risk."
                ),
            ),
            ("What needs to improve in this area of social work practice", improve),
            (
                "Main findings",
                _wrap(
                    "1. Children’s needs are identified quickly at the front door. Some children "
                    "wait too long for an assessment."
                ),
            ),
        ],
        ["Daniel Okafor", "Her Majesty’s Inspector"],
    )
    return Built(
        "focused-visit-2019",
        text,
        "Focused visit",
        "focused-visit",
        date(2019, 11, 14),
        date(2019, 11, 15),
        "Daniel Okafor",
        "",
        findings={"priority": 1, "improvement": 3},
    )


def focused_visit_2023() -> Built:
    """A focused visit letter, 2023: 'Areas for improvement', visit dates in words of one
    month."""
    text = _letter(
        "Focused visit to Northshire local authority children’s services",
        "This letter summarises the findings of the focused visit to Northshire local authority "
        "children’s services on 31 October and 1 November 2023. His Majesty’s Inspectors for "
        "this visit were Amira Haddad and Tom Reilly.",
        [
            (
                "Areas for improvement",
                [
                    "• The consistency of management oversight for children in care.",
                    "• The quality of permanence planning for children who cannot live at home.",
                ],
            ),
            ("Main findings", _wrap("Children in care are visited regularly by social workers.")),
        ],
        ["Amira Haddad", "His Majesty’s Inspector"],
    )
    return Built(
        "focused-visit-2023",
        text,
        "Focused visit",
        "focused-visit",
        date(2023, 10, 31),
        date(2023, 11, 1),
        "Amira Haddad",
        "",
        findings={"improvement": 2},
    )


def monitoring_visit() -> Built:
    """A monitoring visit letter: the areas of concern it reviewed, its headline findings."""
    text = _letter(
        "Monitoring visit to Northshire children’s services",
        "This letter summarises the findings of the monitoring visit to Northshire children’s "
        "services on 30 and 31 January 2024. This visit was the second monitoring visit since "
        "the local authority was judged inadequate in June 2023. His Majesty’s Inspectors for "
        "this visit were Sarah Lambert and Michael Owusu.",
        [
            (
                "Areas covered by the visit",
                [
                    *_wrap(
                        "Inspectors reviewed the progress made in the following areas of concern "
                        "identified at the last inspection:"
                    ),
                    "• The quality and impact of management oversight and supervision.",
                    "• The response to children who go missing or are at risk of exploitation.",
                    "• The timeliness of assessments for children in need.",
                ],
            ),
            (
                "Headline findings",
                _wrap(
                    "Leaders have made steady progress since the inspection. Children at risk of "
                    "exploitation now receive a prompt multi-agency response, although the quality "
                    "of supervision remains too variable."
                ),
            ),
            (
                "Findings and evaluation of progress",
                _wrap(
                    "Managers now review children’s plans more often. Assessments are more timely."
                ),
            ),
        ],
        ["Sarah Lambert", "His Majesty’s Inspector"],
    )
    return Built(
        "monitoring-visit-2024",
        text,
        "Monitoring visit",
        "monitoring-visit",
        date(2024, 1, 30),
        date(2024, 1, 31),
        "Sarah Lambert",
        "",
        findings={"reviewed": 3, "progress": 1},
    )


def jtai() -> Built:
    """A JTAI letter: multi-agency, themed, no grades; strengths, areas for improvement and for
    priority action; signed by the inspectorates' national directors, no lead inspector."""
    text = _letter(
        "Joint targeted area inspection of the multi-agency response to children at risk of "
        "criminal exploitation in Northshire",
        "This letter summarises the findings of a joint targeted area inspection (JTAI) of the "
        "multi-agency response to children at risk of criminal exploitation in Northshire. This "
        "inspection took place from 12 to 16 June 2023. It was carried out by inspectors from "
        "Ofsted, the Care Quality Commission (CQC), His Majesty’s Inspectorate of Constabulary "
        "and Fire & Rescue Services (HMICFRS) and His Majesty’s Inspectorate of Probation.",
        [
            (
                "Headline findings",
                _wrap("Partners share a clear commitment to protecting children."),
            ),
            (
                "What needs to improve?",
                [
                    "• The quality and timeliness of return home interviews.",
                    "• Information sharing between health services and the police.",
                ],
            ),
            (
                "Areas for priority action",
                _wrap(
                    "The safeguarding partners must ensure that children at risk of criminal "
                    "exploitation are identified and receive a coordinated response."
                ),
            ),
            (
                "Strengths",
                [
                    "• Strong leadership of the multi-agency safeguarding hub.",
                    "• Effective work by the youth justice service.",
                    "• Schools identify children at risk early.",
                ],
            ),
            ("Main findings", _wrap("Children are seen quickly when concerns are raised.")),
            (
                "Next steps",
                _wrap(
                    "The local safeguarding partnership should prepare a written statement of "
                    "proposed action responding to the findings outlined in this letter."
                ),
            ),
        ],
        [
            "Yvette Stanley",
            "National Director Regulation and Social Care, Ofsted",
            "Dr Sean O’Kelly",
            "Chief Inspector of Healthcare, Care Quality Commission",
        ],
    )
    return Built(
        "jtai-2023",
        text,
        "JTAI",
        "jtai",
        date(2023, 6, 12),
        date(2023, 6, 16),
        "",
        "",
        findings={"improvement": 2, "priority": 1, "strength": 3},
    )


def all_built() -> list[Built]:
    return [
        sif_themed(),
        sif_points(),
        sif_2014_strengths(),
        ilacs_2026(),
        focused_visit(),
        focused_visit_2023(),
        monitoring_visit(),
        jtai(),
    ]


def as_pdf(built: Built) -> bytes:
    """The document printed as Ofsted's PDFs are: A4 pages (form feeds start new ones), lines
    as they are, a running footer with the page number."""
    from weasyprint import HTML  # noqa: PLC0415 - slow to import; only the PDF tests need it

    pages = built.text.split(FF)
    body = "".join(
        '<section style="break-after: page">'
        + "".join(f"<p>{html.escape(line) or '&nbsp;'}</p>" for line in page.split("\n"))
        + "</section>"
        for page in pages
    )
    style = (
        "@page { size: A4; margin: 20mm; @bottom-right { content: counter(page); } }"
        "body { font-family: sans-serif; font-size: 10pt; } p { margin: 0 0 2pt 0; }"
    )
    return HTML(
        string=f"<html><head><style>{style}</style></head><body>{body}</body></html>"
    ).write_pdf()
