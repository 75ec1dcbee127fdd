package dev.agenda.notification.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.subscription.SubscriberImport;

/**
 * The categories and tags cells of the subscribers export, opened the way the agenda's admins open it: in a
 * spreadsheet set to French, which splits a CSV line at every {@code ;} and every line break, whatever the quotes.
 */
class SubscriberCsvCellsTest {

    /** The cells such a spreadsheet makes of one exported cell. */
    private static List<String> asAFrenchSpreadsheetSplitsIt(String cell) {
        return List.of(cell.split("[;\\r\\n]"));
    }

    private static boolean evaluated(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0;
    }

    @Test
    void noValueAfterTheFirstBecomesAFormula() {
        String cell = SubscriberAdminController.listCell(Set.of("atelier", "=cmd|' /c calc'!a0", "@sum(1)", "-2+3"));

        assertThat(asAFrenchSpreadsheetSplitsIt(cell)).noneMatch(SubscriberCsvCellsTest::evaluated)
                .containsExactly("'-2+3", "'=cmd|' /c calc'!a0", "'@sum(1)", "atelier");
    }

    @Test
    void aLineBreakInAValueDoesNotStartARowWithAFormula() {
        String cell = SubscriberAdminController.listCell(Set.of("ok\n=1+1", "a\r\n+b"));

        assertThat(cell).doesNotContain("\n").doesNotContain("\r");
        assertThat(asAFrenchSpreadsheetSplitsIt(cell)).noneMatch(SubscriberCsvCellsTest::evaluated);
    }

    @Test
    void theImportReadsEachValueBackAsItWas() {
        String cell = SubscriberAdminController.listCell(Set.of("=x", "@rennes", "atelier"));

        assertThat(List.of(cell.split(";"))).map(SubscriberImport::unprotected)
                .containsExactly("=x", "@rennes", "atelier");
    }

    @Test
    void aSemicolonInsideAValueDoesNotLetItsSecondHalfBecomeAFormula() {
        String cell = SubscriberAdminController.listCell(Set.of("atelier;=cmd|' /c calc'!a0", "b"));

        assertThat(asAFrenchSpreadsheetSplitsIt(cell)).noneMatch(SubscriberCsvCellsTest::evaluated)
                .containsExactly("atelier", "'=cmd|' /c calc'!a0", "b");
    }

    @Test
    void aSingleTextCellIsProtectedAfterEverySemicolonAndLineBreakToo() {
        // The words of a bounce report: chosen by whoever wrote the report.
        String cell = SubscriberAdminController.cell("5.1.1 (bounce report): x;=1+1\n@SUM(A1)\t-1");

        assertThat(cell).doesNotContain("\n").doesNotContain("\t");
        assertThat(asAFrenchSpreadsheetSplitsIt(cell)).noneMatch(SubscriberCsvCellsTest::evaluated)
                .hasSize(2);
        assertThat(SubscriberAdminController.cell("-info@asso.fr")).isEqualTo("'-info@asso.fr");
    }

    @Test
    void whatTheExportProtectsTheImportGivesBackExactly() {
        for (String value : List.of("=x", "+33", "-info@asso.fr", "@rennes", "'quoted", "'", "''", "'=x@d.fr",
                "plain", "a'b", "")) {
            assertThat(SubscriberImport.unprotected(SubscriberImport.protect(value))).as(value).isEqualTo(value);
            assertThat(evaluated(SubscriberImport.protect(value))).as(value).isFalse();
        }
    }
}
