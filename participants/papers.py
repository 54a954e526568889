"""The papers to sign: the social contract, the Individual Action Plan and the completion certificate.

Each paper is built once as a `Paper` (headings, paragraphs, tables, signature lines). The page prints
it on A4 from the browser and `as_pdf` writes the same paper as a PDF with fpdf2, in DejaVu Sans (in
`fonts/` beside this module, under its free licence), which has every Polish letter.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.utils.formats import date_format, localize
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from fpdf import FPDF

from .choices import ParticipantSexChoices
from .journey import hours_by_pillar

FONTS = Path(__file__).resolve().parent / "fonts"


@dataclass
class Table:
    caption: str
    header: list
    rows: list
    footer: list | None = None


@dataclass
class Block:
    heading: str = ""
    text: list = field(default_factory=list)
    table: Table | None = None


@dataclass
class Paper:
    title: str
    number: str
    filename: str
    place_and_date: str
    issuer: list
    blocks: list
    signatures: list


def day(value):
    return date_format(value) if value else "—"


def issuer(club):
    return [str(club), *([str(club.operator)] if club.operator_id else [])]


def place_and_date(club, on):
    return f"{club.town}, {day(on)}" if club.town else day(on)


def person_line(participant):
    """The person as a paper names them: by name and PESEL, or the date of birth without one."""
    if participant.pesel:
        return _("%(person)s, PESEL %(pesel)s") % {"person": participant, "pesel": participant.pesel}
    return _("%(person)s, born on %(date)s") % {"person": participant, "date": day(participant.birth_date)}


def contract_paper(contract, today):
    """The social contract in the structure of the template of 8 November 2010 (art. 108 of the Social
    Assistance Act): the parties, the assessment of the situation, goals, each side's actions, validity,
    signatures, and later the assessment of its fulfilment."""
    enrollment = contract.enrollment
    club = enrollment.club
    worker = contract.social_worker or "—"
    if contract.referring_organization_id:
        worker = f"{worker}, {contract.referring_organization}"
    goals = [(goal.pillar, goal.description, day(goal.target_date)) for goal in contract.goals.all()]
    family = ", ".join(str(member) for member in contract.household_members.all())
    if contract.fulfilment_assessment:
        fulfilment = [contract.fulfilment_assessment]
    elif contract.termination_reason:
        fulfilment = [_("The contract was terminated: %(reason)s") % {"reason": contract.termination_reason}]
    else:
        fulfilment = [_("To be filled in when the contract ends, with the reasons."), "\n\n"]
    blocks = [
        Block(
            _("Parties"),
            [
                _("Concluded on %(date)s between:") % {"date": day(contract.signed_on or contract.valid_from)},
                person_line(enrollment.participant),
                _("family members covered by the contract: %(family)s,") % {"family": family or "—"},
                _("and the social worker %(worker)s,") % {"worker": worker},
                _("with the participation of %(club)s.") % {"club": club},
            ],
        ),
        Block(
            _("I. Assessment of the situation"),
            [contract.situation_assessment or "—"],
        ),
        Block(
            _("II. Goals"),
            table=Table(_("Goals of the contract"), [_("Pillar"), _("Goal"), _("Deadline")], goals),
        ),
        Block(
            _("III. Agreed actions"),
            [
                _("The participant's obligations:"),
                contract.participant_obligations or "—",
                _("The social worker's and the club's obligations:"),
                contract.worker_obligations or "—",
            ],
        ),
        Block(
            _("IV. Validity"),
            [
                _("The contract is valid from %(start)s to %(end)s.")
                % {"start": day(contract.valid_from), "end": day(contract.valid_until)}
            ],
        ),
        Block(_("V. Assessment of fulfilment"), fulfilment),
    ]
    return Paper(
        title=_("Social contract"),
        number=_("No. %(number)s") % {"number": contract.number},
        filename=f"kontrakt-{contract.pk}.pdf",
        place_and_date=place_and_date(club, contract.signed_on or today),
        issuer=issuer(club),
        blocks=blocks,
        signatures=[
            _("Signature of the participant"),
            _("Signature of the social worker"),
            _("Signature of the club's representative"),
        ],
    )


def plan_paper(plan, today):
    """The Individual Action Plan: the diagnosis, the goals per pillar with services and dates, the reviews."""
    enrollment = plan.enrollment
    goals = [
        (
            goal.pillar,
            goal.description,
            ", ".join(str(service) for service in goal.planned_services.all()) or "—",
            day(goal.target_date),
            goal.get_status_display(),
        )
        for goal in plan.goals.all()
    ]
    reviews = [(day(review.reviewed_on), review.progress, day(review.next_review_on)) for review in plan.reviews.all()]
    blocks = [
        Block(
            _("Participant"),
            [
                person_line(enrollment.participant),
                _("Plan drawn up on %(date)s.") % {"date": day(plan.drawn_up_on)},
            ],
        ),
        Block(
            _("Diagnosis"),
            [
                _("Resources: %(text)s") % {"text": plan.resources or "—"},
                _("Barriers: %(text)s") % {"text": plan.barriers or "—"},
            ],
        ),
        Block(
            _("Goals"),
            table=Table(
                _("Goals per pillar"),
                [_("Pillar"), _("Goal"), _("Planned services"), _("Target date"), _("Status")],
                goals,
            ),
        ),
        Block(
            _("Reviews"),
            table=Table(_("Reviews of the plan"), [_("Date"), _("Progress"), _("Next review")], reviews),
        ),
    ]
    return Paper(
        title=_("Individual Action Plan"),
        number="",
        filename=f"ipd-{plan.pk}.pdf",
        place_and_date=place_and_date(enrollment.club, plan.drawn_up_on),
        issuer=issuer(enrollment.club),
        blocks=blocks,
        signatures=[_("Signature of the participant"), _("Signature of the club's coordinator")],
    )


# The certificate's sentence in its holder's grammatical gender ("ukończyła", "ukończył"); a person of
# another or unrecorded sex is named "osoba", whose verbs Polish puts in the feminine.
COMPLETION = {
    ParticipantSexChoices.FEMALE.value: pgettext_lazy(
        "woman",
        "This certifies that %(person)s took part in the activities of %(club)s from %(start)s to %(end)s, "
        "under a social contract, and completed their participation.",
    ),
    ParticipantSexChoices.MALE.value: pgettext_lazy(
        "man",
        "This certifies that %(person)s took part in the activities of %(club)s from %(start)s to %(end)s, "
        "under a social contract, and completed their participation.",
    ),
}
COMPLETION_OF_A_PERSON = pgettext_lazy(
    "person",
    "This certifies that %(person)s took part in the activities of %(club)s from %(start)s to %(end)s, "
    "under a social contract, and completed their participation.",
)


def completion_text(enrollment):
    text = COMPLETION.get(enrollment.participant.sex, COMPLETION_OF_A_PERSON)
    return text % {
        "person": enrollment.participant,
        "club": enrollment.club,
        "start": day(enrollment.started_on),
        "end": day(enrollment.exit_on),
    }


def certificate_paper(enrollment, today):
    """The completion certificate (art. 18 of the Social Employment Act), with the hours per pillar."""
    rows, total = hours_by_pillar(enrollment)
    hours = Table(
        _("Hours attended per pillar of the reintegration services"),
        [_("Pillar"), _("Hours")],
        rows,
        footer=[_("Total"), total],
    )
    return Paper(
        title=_("Certificate of completion of participation in a social integration club"),
        number=_("No. %(number)s") % {"number": enrollment.certificate_number} if enrollment.certificate_number else "",
        filename=f"zaswiadczenie-{enrollment.pk}.pdf",
        place_and_date=place_and_date(enrollment.club, enrollment.certificate_issued_on or today),
        issuer=issuer(enrollment.club),
        blocks=[
            Block(text=[completion_text(enrollment)], table=hours),
            Block(text=[_("Issued under art. 18 of the Social Employment Act of 13 June 2003.")]),
        ],
        signatures=[_("Signature of the club's manager")],
    )


def as_pdf(paper):
    """The paper as an A4 PDF, the same text as the printed page."""
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.add_page()

    def line(text, size=10, style="", align="L", height=5):
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(0, height, str(text), align=align, new_x="LMARGIN", new_y="NEXT")

    line(paper.place_and_date, align="R")
    for text in paper.issuer:
        line(text)
    pdf.ln(8)
    line(paper.title, size=14, style="B", align="C", height=7)
    if paper.number:
        line(paper.number, align="C")
    for block in paper.blocks:
        pdf.ln(4)
        if block.heading:
            line(block.heading, size=11, style="B", height=6)
        for text in block.text:
            line(text)
        if block.table:
            pdf.ln(2)
            pdf.set_font("DejaVu", "", 9)
            with pdf.table(text_align="LEFT", line_height=5) as table:
                footer = [block.table.footer] if block.table.footer else []
                for row in [block.table.header, *block.table.rows, *footer]:
                    cells = table.row()
                    for value in row:
                        cells.cell(str(localize(value)))
    pdf.ln(18)
    for text in paper.signatures:
        line("……………………………………", align="R")
        line(text, size=8, align="R")
        pdf.ln(8)
    return bytes(pdf.output())
