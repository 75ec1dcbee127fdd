package dev.agenda.notification.admin;

import dev.agenda.notification.subscription.InvalidValueException;

/** Bounds of the admin lists' query parameters, refused with a field error rather than answered wrongly. */
final class AdminPaging {

    /** Far beyond any list an agenda has; past about 2^31 rows skipped, the store answered the first page. */
    static final int MAX_PAGE = 100_000;

    private AdminPaging() {
    }

    static int page(int page) {
        if (page > MAX_PAGE) {
            throw new InvalidValueException("page", "must be at most " + MAX_PAGE);
        }
        return page;
    }

    /** A search text: a control character (a NUL) failed in the database as a 500. */
    static void searchText(String q) {
        if (q == null) {
            return;
        }
        if (q.length() > 320) {
            throw new InvalidValueException("q", "must be at most 320 characters");
        }
        if (q.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw new InvalidValueException("q", "must not contain control characters");
        }
    }
}
