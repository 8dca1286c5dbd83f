/*
 * layout.h - where each pane goes for a terminal size, and how a scrolled
 * list keeps its selection visible.  Pure arithmetic; main thread.
 */
#ifndef ITUI_LAYOUT_H
#define ITUI_LAYOUT_H

struct rect {
	int y, x, h, w;
};

struct layout {
	int too_small;    /* below 40x10: only a message fits */
	int side_by_side; /* wide screens: list left, detail right */
	struct rect top;
	struct rect list;
	struct rect detail;
	struct rect status;
};

/* nlist: how many incidents the list holds (a short list takes less room). */
void layout_compute(int rows, int cols, int nlist, struct layout *out);

struct listview {
	int count;  /* items */
	int sel;    /* selected item, -1 when empty */
	int top;    /* first visible item */
	int height; /* visible rows */
};

/* Keeps sel within the items and visible; call after any change. */
void listview_fix(struct listview *lv);
void listview_move(struct listview *lv, int delta);
void listview_select(struct listview *lv, int index);
/* Scrolls so that the last item is on the last row (a timeline's view). */
void listview_bottom(struct listview *lv);

#endif
