from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def funnel_row(row):
    """One row of a funnel table. Written here rather than in an included template: the
    dashboard of a year of 200 campaigns shows a thousand rows, and an include per row took
    a third of its time."""
    label = format_html("{}<br><small>{}</small>", row.label, row.group) if row.group else row.label
    cells = format_html_join(
        "",
        "<td>{}{}</td>",
        (
            (
                cell_text(cell),
                format_html("<br><small>{}%</small>", localize(cell.rate))
                if cell.rate is not None
                else "",
            )
            for cell in row.cells()
        ),
    )
    return format_html('<tr><th scope="row">{}</th>{}</tr>', label, cells)


def cell_text(cell):
    """As the CSV has it (Cell.as_text), with "< 5" spaced as the page's legend writes it."""
    return cell.as_text().replace("<", "< ", 1)
