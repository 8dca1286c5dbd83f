/* layout.c - pane geometry and list scrolling. */
#include "itui/layout.h"

void
layout_compute(int rows, int cols, int nlist, struct layout *out)
{
	int body = rows - 2, lh;

	out->too_small = rows < 10 || cols < 40;
	out->side_by_side = 0;
	out->top = (struct rect){0, 0, 1, cols};
	out->status = (struct rect){rows - 1, 0, 1, cols};
	if (out->too_small) {
		out->list = out->detail = (struct rect){1, 0, 0, 0};
		return;
	}
	if (cols >= 120) {
		/* A wide terminal's list gets room for its titles: the
		 * columns before the title take 37 of it. */
		int lw = cols >= 160     ? cols * 2 / 5
		         : cols / 3 < 50 ? 50
		                         : cols / 3;

		out->side_by_side = 1;
		out->list = (struct rect){1, 0, body, lw};
		out->detail = (struct rect){1, lw + 1, body, cols - lw - 1};
		return;
	}
	/* Stacked: the list takes what it needs, up to a third of the body. */
	lh = nlist + 1;
	if (lh < 3)
		lh = 3;
	if (lh > body / 3)
		lh = body / 3 < 3 ? 3 : body / 3;
	out->list = (struct rect){1, 0, lh, cols};
	out->detail = (struct rect){1 + lh, 0, body - lh, cols};
}

void
listview_fix(struct listview *lv)
{
	int max_top;

	if (lv->height < 1)
		lv->height = 1;
	if (lv->count <= 0) {
		lv->count = 0;
		lv->sel = -1;
		lv->top = 0;
		return;
	}
	if (lv->sel < 0)
		lv->sel = 0;
	if (lv->sel >= lv->count)
		lv->sel = lv->count - 1;
	if (lv->sel < lv->top)
		lv->top = lv->sel;
	if (lv->sel >= lv->top + lv->height)
		lv->top = lv->sel - lv->height + 1;
	max_top = lv->count > lv->height ? lv->count - lv->height : 0;
	if (lv->top > max_top)
		lv->top = max_top;
	if (lv->top < 0)
		lv->top = 0;
}

void
listview_move(struct listview *lv, int delta)
{
	if (lv->count == 0)
		return;
	lv->sel += delta;
	listview_fix(lv);
}

void
listview_select(struct listview *lv, int index)
{
	lv->sel = index;
	listview_fix(lv);
}

void
listview_bottom(struct listview *lv)
{
	lv->sel = lv->count - 1;
	lv->top = lv->count > lv->height ? lv->count - lv->height : 0;
	listview_fix(lv);
}
