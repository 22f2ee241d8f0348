"""Draw pipelines as rows of labelled boxes joined by arrows (for example, the stages of the R-CNN detectors).

Used by: book/week3/06_region_proposals.md
"""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

__all__ = ["draw_flows"]

STAGE_WIDTH, STAGE_HEIGHT, STAGE_GAP, ROW_GAP = 2.6, 1.0, 0.5, 0.6
INCHES_PER_UNIT = 0.55  # when this module makes the figure: 8-point text fits a stage on two lines


def draw_flows(rows, ax=None, colors=None, title_width=2.4):
    """Draw each pipeline of `rows` (dict: name -> list of stage texts) as a row of boxes joined by arrows.

    A stage given as (text, key) is filled with colors[key] (a dict), so a stage that the pipelines share
    can have one colour in every row. Returns the Axes.
    """
    if not rows:
        raise ValueError("no pipelines to draw")
    colors = {} if colors is None else colors
    longest = max(len(stages) for stages in rows.values())
    width = title_width + longest * (STAGE_WIDTH + STAGE_GAP)
    height = len(rows) * (STAGE_HEIGHT + ROW_GAP)
    if ax is None:
        _, ax = plt.subplots(figsize=(INCHES_PER_UNIT * width, INCHES_PER_UNIT * height + 0.2))
    for r, (name, stages) in enumerate(rows.items()):
        y = -r * (STAGE_HEIGHT + ROW_GAP)
        ax.text(0, y + STAGE_HEIGHT / 2, name, ha="left", va="center", fontsize=10, fontweight="bold")
        x = title_width
        for k, stage in enumerate(stages):
            text, key = stage if isinstance(stage, tuple) else (stage, None)
            ax.add_patch(
                FancyBboxPatch(
                    (x, y),
                    STAGE_WIDTH,
                    STAGE_HEIGHT,
                    boxstyle="round,pad=0.02,rounding_size=0.12",
                    facecolor=colors.get(key, "#eeeeee"),
                    edgecolor="0.3",
                    lw=0.9,
                )
            )
            ax.text(x + STAGE_WIDTH / 2, y + STAGE_HEIGHT / 2, text, ha="center", va="center", fontsize=8, wrap=False)
            if k < len(stages) - 1:
                ax.add_patch(
                    FancyArrowPatch(
                        (x + STAGE_WIDTH, y + STAGE_HEIGHT / 2),
                        (x + STAGE_WIDTH + STAGE_GAP, y + STAGE_HEIGHT / 2),
                        arrowstyle="-|>",
                        mutation_scale=10,
                        color="0.3",
                        lw=1.1,
                        shrinkA=0,
                        shrinkB=0,
                    )
                )
            x += STAGE_WIDTH + STAGE_GAP
    ax.set_xlim(-0.1, width)
    ax.set_ylim(-(len(rows) - 1) * (STAGE_HEIGHT + ROW_GAP) - 0.2, STAGE_HEIGHT + 0.2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax
