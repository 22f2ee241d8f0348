"""The glossary (book/glossary.md): one {glossary} block per week, each term defined once, and the chapters
link their terms to it. Sphinx also fails the build on a duplicate or unknown term; these checks are fast
and name the file to fix."""

import re

from autograder.course import REPO

GLOSSARY = REPO / "book" / "glossary.md"


def sections() -> dict[str, str]:
    """Return the text of each '## ' section of the glossary, by heading."""
    parts = re.split(r"^## (.+)$", GLOSSARY.read_text(), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def glossary_blocks(text: str) -> list[str]:
    return re.findall(r"^```\{glossary\}\n(.*?)^```", text, flags=re.M | re.S)


def terms_of(block: str) -> list[str]:
    """Return the terms of a glossary block: its unindented lines, options excluded."""
    return [line.strip() for line in block.splitlines() if line and not line[0].isspace() and not line.startswith(":")]


def test_each_section_is_one_sorted_glossary_block():
    found = sections()
    assert "General terms" in found and any(h.startswith("Week 1") for h in found), f"sections: {list(found)}"
    for heading, text in found.items():
        blocks = glossary_blocks(text)
        assert len(blocks) == 1, f"glossary.md, section {heading!r}: {len(blocks)} glossary blocks, expected one"
        assert blocks[0].lstrip().startswith(":sorted:"), f"glossary.md, section {heading!r}: add the :sorted: option"
        assert terms_of(blocks[0]), f"glossary.md, section {heading!r} defines no term"


def test_every_term_is_defined_once():
    terms = [t.lower() for text in sections().values() for block in glossary_blocks(text) for t in terms_of(block)]
    repeated = sorted({t for t in terms if terms.count(t) > 1})
    assert not repeated, f"glossary.md defines these terms more than once: {repeated}"


def test_every_linked_term_is_in_the_glossary():
    terms = {t.lower() for text in sections().values() for block in glossary_blocks(text) for t in terms_of(block)}
    for page in sorted((REPO / "book").rglob("*.md")):
        for role in re.findall(r"\{term\}`([^`]+)`", page.read_text()):
            target = re.search(r"<([^>]+)>$", role)
            name = (target[1] if target else role).strip().lower()
            assert name in terms, f"{page.relative_to(REPO)} links the term {name!r}, which glossary.md does not define"


def week_sections(week: str) -> list:
    """Return a week's pages less its quiz page, whose questions come from the quiz's bank (they ask about the terms
    the sections define and link)."""
    return [page for page in sorted((REPO / "book" / week).glob("*.md")) if page.name != "quiz.md"]


def test_every_week1_section_links_its_terms():
    for page in week_sections("week1"):
        assert "{term}`" in page.read_text(), f"{page.relative_to(REPO)} links no term to the glossary"


def test_every_section_of_weeks_2_to_4_links_its_terms():
    for week in ("week2", "week3", "week4"):
        pages = week_sections(week)
        assert pages, f"book/{week} has no pages"
        for page in pages:
            assert "{term}`" in page.read_text(), f"{page.relative_to(REPO)} links no term to the glossary"
