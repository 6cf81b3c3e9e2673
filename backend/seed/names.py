"""The words of the demo school: people's names, subjects and the notes teachers write.

The text is what a Greek school really holds, awkward where real data is (apostrophes,
quotes, tabs, newlines, backslashes, emoji, an empty string beside NULL), because the
migration tool and its benchmark load this school too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MALE = ["Γιώργος", "Δημήτρης", "Νίκος", "Κωνσταντίνος", "Ιωάννης", "Παναγιώτης", "Άγγελος", "Σπύρος"]
FEMALE = ["Μαρία", "Ελένη", "Κατερίνα", "Σοφία", "Αγγελική", "Δέσποινα", "Χριστίνα", "Ζωή"]
SURNAMES = [
    ("Παπαδόπουλος", "Παπαδοπούλου"),
    ("Οικονόμου", "Οικονόμου"),
    ("Γεωργίου", "Γεωργίου"),
    ("Νικολάου", "Νικολάου"),
    ("Κωνσταντινίδης", "Κωνσταντινίδου"),
    ("Αλεξίου", "Αλεξίου"),
    ("Μαυρίδης", "Μαυρίδου"),
    ("O'Brien", "O'Brien"),
    ("Δ'Αγγέλου", "Δ'Αγγέλου"),
    ("Σαββίδης-Πάππας", "Σαββίδου-Πάππα"),
]
NOTES = [
    "Αλλεργία στα φιστίκια — ενημερώθηκε ο κηδεμόνας",
    'Είπε: "θα το φέρω αύριο"',
    "O'Brien's note, with commas, and 'quotes'",
    "γραμμή 1\nγραμμή 2\n\tεσοχή με tab",
    "Windows line\r\nending",
    "C:\\Users\\μαθητής\\εργασία.docx, a literal \\n and \\N",
    "\\.",  # COPY's end-of-data marker as a whole value
    "🎓 πολύ καλή πρόοδος 📚✨ 👩‍🏫",
    "",  # an empty string, which must stay distinct from NULL
    "   κενά μπροστά και πίσω   ",
    "tab\tseparated\tvalues",
    "ελληνικό ερωτηματικό; και άνω τελεία·",
    "NULL",  # the word, not the value
]
# A grade's weight within its category: mostly 1, some values binary floats cannot hold exactly.
WEIGHTS = [1.0, 1.0, 1.0, 1.0, 0.5, 1 / 3, 0.1 + 0.2, 2 / 3]
DROP_REASONS = ["Μετεγγραφή σε άλλο σχολείο", "Αλλαγή κατεύθυνσης", "Απαλλαγή (ιατρική βεβαίωση)"]
HIGHLIGHTS = [
    (True, "academic", "Εξαιρετική συμμετοχή στο «Πείραμα»"),
    (True, "behaviour", "Βοήθησε συμμαθητή 🤝"),
    (True, "sports", "Πρώτη θέση στον αγώνα δρόμου 1.500 μ."),
    (False, "behaviour", "Αργεί συχνά στην πρώτη ώρα"),
    (True, "academic", NOTES[3]),
    (False, "academic", NOTES[5]),
]
PERFORMANCE = ["προφορική εξέταση", "τεστ", "εργαστήριο", "συμμετοχή"]


@dataclass(frozen=True)
class Subject:
    code: str
    name: str
    max_grade: Decimal
    passing_grade: Decimal
    # (category, weight in percent, the assignment graded in it); the weights add up to 100.
    rules: tuple[tuple[str, int, str], ...]
    credits: int
    hours_per_week: float
    periods_per_day: int = 1


def _subject(
    code: str, name: str, scale: int, rules: tuple[tuple[str, int, str], ...], **more: float
) -> Subject:
    passing = Decimal(scale) / 2  # 10 of 20, 50 of 100: a pass mark on the course's own scale
    return Subject(
        code,
        name,
        Decimal(scale),
        passing,
        rules,
        int(more.get("credits", 3)),
        float(more.get("hours", 3)),
        int(more.get("periods", 1)),
    )


EXAM = ("exam", 60, "Διαγώνισμα τετραμήνου")
SUBJECTS = {
    s.code: s
    for s in [
        _subject(
            "MATH",
            "Μαθηματικά",
            20,
            (EXAM, ("tests", 25, "Τεστ Α΄"), ("homework", 15, "Ασκήσεις")),
            credits=4,
            hours=4,
        ),
        _subject(
            "GREEK",
            "Νέα Ελληνικά",
            100,
            (("exam", 50, EXAM[2]), ("essay", 30, "Έκθεση «Το 1821»"), ("participation", 20, "Συμμετοχή")),
        ),
        _subject(
            "HIST",
            "Ιστορία",
            100,
            (EXAM, ("project", 25, 'Project: "Βυζάντιο", ομάδα 2'), ("participation", 15, "Συμμετοχή")),
            credits=2,
            hours=2,
        ),
        _subject(
            "ENGL",
            "Αγγλικά",
            100,
            (("exam", 40, "Final test"), ("tests", 40, "Unit test 3"), ("homework", 20, "Essay: 'My town'")),
        ),
        _subject(
            "PHYS",
            "Φυσική",
            100,
            (("exam", 50, EXAM[2]), ("lab", 35, "Εργαστήριο: εκκρεμές"), ("homework", 15, "Ασκήσεις")),
            periods=2,
        ),
        _subject(
            "CHEM",
            "Χημεία",
            100,
            (EXAM, ("lab", 30, "Εργαστήριο: οξέα"), ("homework", 10, "Ασκήσεις")),
            credits=2,
            hours=2,
        ),
        _subject(
            "COMP",
            "Πληροφορική",
            100,
            (("project", 50, "Project: ιστοσελίδα"), ("exam", 30, EXAM[2]), ("lab", 20, "Εργαστήριο Python")),
            credits=2,
            hours=2,
        ),
    ]
}
# What each class takes this term, and what it took last school year (term index, subject).
CURRENT_SUBJECTS = {
    1: ["MATH", "GREEK", "HIST", "ENGL", "PHYS"],
    2: ["MATH", "PHYS", "GREEK"],
    3: ["MATH", "CHEM", "COMP"],
}
PAST_SUBJECTS = [(0, "MATH"), (1, "ENGL")]
GRADE_LETTERS = "ΑΒΓ"  # Α΄, Β΄, Γ΄ Λυκείου
