package dev.agenda.events.jekyll;

import java.util.List;

/** What a Jekyll import did (or, in a dry run, would do) with each file. */
record ImportReport(boolean dryRun, int files, int created, int updated, int unchanged, int rejected,
        List<FileResult> results) {

    enum Outcome { CREATED, UPDATED, UNCHANGED, REJECTED }

    /**
     * @param reason   why a file was rejected
     * @param warnings decisions taken on odd values (legacy keys, dropped dates, fixed links...)
     */
    record FileResult(String file, Outcome outcome, String eventId, String slug, String status, String reason,
            List<String> warnings) {
    }

    static ImportReport of(boolean dryRun, List<FileResult> results) {
        return new ImportReport(dryRun, results.size(), count(results, Outcome.CREATED),
                count(results, Outcome.UPDATED), count(results, Outcome.UNCHANGED), count(results, Outcome.REJECTED),
                results);
    }

    private static int count(List<FileResult> results, Outcome outcome) {
        return (int) results.stream().filter(r -> r.outcome() == outcome).count();
    }
}
