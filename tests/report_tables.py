"""report_tables.py: read sim report's HTML tables as text, for the checks of tests/test_analysis.sh."""
import html
import re


def cells(table):
    """The rows of one <table>...</table> as lists of cell texts (tags removed, entities decoded)."""
    return [[html.unescape(re.sub("<[^>]+>", "", c)) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
            for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


def tables(text):
    """Every table of a page (or a part of one), each as cells() gives it."""
    return [cells(t) for t in re.findall(r"<table.*?</table>", text, re.S)]


def headline(text):
    """The part of a report from its headline results to its results by region."""
    return text[text.find('id="headline-results"'):text.find('id="results-by-region"')]
