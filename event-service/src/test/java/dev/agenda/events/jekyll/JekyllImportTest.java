package dev.agenda.events.jekyll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MvcResult;

import com.jayway.jsonpath.JsonPath;

import dev.agenda.events.domain.Event;
import dev.agenda.events.support.InfrastructureTest;

/**
 * The whole real corpus through the HTTP import: every file imported or rejected with a reason, no 5xx, a re-import
 * changes nothing, a dry run writes nothing, and what the export gives back imports to the same event.
 */
class JekyllImportTest extends InfrastructureTest {

    @Autowired
    private MongoTemplate mongo;

    private static byte[] corpusZip() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Path file : CorpusFiles.files()) {
                zip.putNextEntry(new ZipEntry("_evenements/" + CorpusFiles.name(file)));
                zip.write(CorpusFiles.read(file).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private MvcResult upload(String query, MockMultipartFile... files) throws Exception {
        var request = multipart("/api/imports/jekyll" + query);
        for (MockMultipartFile f : files) {
            request.file(f);
        }
        MvcResult result = mvc.perform(request.header(HttpHeaders.AUTHORIZATION, ADMIN)).andReturn();
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
        return result;
    }

    @Test
    void theWholeCorpusImportsIdempotentlyAndRoundTripsThroughTheExport() throws Exception {
        int fileCount = CorpusFiles.files().size();
        MockMultipartFile zip = new MockMultipartFile("files", "evenements.zip", "application/zip", corpusZip());

        String dry = upload("?dryRun=true", zip).getResponse().getContentAsString();
        assertThat((Integer) JsonPath.read(dry, "$.files")).isEqualTo(fileCount);
        List<Map<String, Object>> dryResults = JsonPath.read(dry, "$.results");
        assertThat(dryResults).allSatisfy(r -> assertThat(r.get("eventId") == null || !"CREATED".equals(r.get("outcome"))).isTrue());
        mvc.perform(get("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN).param("q", "Forum de Paris sur la Paix"))
                .andExpect(jsonPath("$.totalItems").value(0));

        String report = upload("", zip).getResponse().getContentAsString();
        List<Map<String, Object>> results = JsonPath.read(report, "$.results");
        assertThat(results).hasSize(fileCount).allSatisfy(r -> {
            assertThat(r.get("outcome")).isIn("CREATED", "REJECTED");
            if ("REJECTED".equals(r.get("outcome"))) {
                assertThat((String) r.get("reason")).isNotBlank();
            } else {
                assertThat(r.get("eventId")).isNotNull();
            }
        });
        assertThat((Integer) JsonPath.read(report, "$.created")).isGreaterThanOrEqualTo(100);

        String again = upload("", zip).getResponse().getContentAsString();
        assertThat((Integer) JsonPath.read(again, "$.unchanged")).isEqualTo(JsonPath.read(report, "$.created"));

        // Each exported file imports to the same event it came from.
        Map<String, String> idBySlug = new HashMap<>();
        for (Map<String, Object> r : results) {
            if ("CREATED".equals(r.get("outcome"))) {
                idBySlug.put((String) r.get("slug"), (String) r.get("eventId"));
            }
        }
        for (Map.Entry<String, String> e : idBySlug.entrySet()) {
            MvcResult exported = mvc.perform(get("/api/events/" + e.getValue() + "/jekyll")
                    .header(HttpHeaders.AUTHORIZATION, ADMIN)).andExpect(status().isOk()).andReturn();
            String text = exported.getResponse().getContentAsString(StandardCharsets.UTF_8);
            JekyllFormat.Parsed parsed = JekyllFormat.parse(e.getKey() + ".markdown", text);
            assertThat(parsed).as(text).isInstanceOf(JekyllFormat.Imported.class);
            Event event = ((JekyllFormat.Imported) parsed).event();
            assertThat(event.slug()).isEqualTo(e.getKey());
            assertThat(JekyllFormat.write(event)).isEqualTo(JekyllFormat.write(((JekyllFormat.Imported)
                    JekyllFormat.parse(e.getKey() + ".markdown", JekyllFormat.write(event))).event()));
        }

        // The bulk export, imported again, changes nothing: import → export → import is a fixed point.
        byte[] bulk = mvc.perform(get("/api/exports/jekyll").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray();
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(bulk))) {
            while (in.getNextEntry() != null) {
                entries++;
            }
        }
        assertThat(entries).isGreaterThanOrEqualTo(idBySlug.size());
        String reimport = upload("", new MockMultipartFile("files", "export.zip", "application/zip", bulk))
                .getResponse().getContentAsString();
        List<Map<String, Object>> reimported = JsonPath.read(reimport, "$.results");
        assertThat(reimported).filteredOn(r -> idBySlug.containsKey(r.get("slug")))
                .hasSize(idBySlug.size()).allSatisfy(r -> assertThat(r.get("outcome")).as(r.toString())
                        .isEqualTo("UNCHANGED"));
    }

    @Test
    void oddFilesAreRejectedWithAReasonPerFile() throws Exception {
        String report = upload("",
                new MockMultipartFile("files", "sans-titre.markdown", "text/markdown",
                        "---\ndate: 2024-01-01 10:00:00 +01:00\n---\nCorps".getBytes(StandardCharsets.UTF_8)),
                new MockMultipartFile("files", "casse.md", "text/markdown",
                        "---\ntitle: [oops\n---\n".getBytes(StandardCharsets.UTF_8)),
                new MockMultipartFile("files", "image.png", "image/png", new byte[] {1, 2, 3}),
                new MockMultipartFile("files", "latin1.md", "text/markdown",
                        "---\ntitle: \u00e9t\u00e9\n---\n".getBytes(StandardCharsets.ISO_8859_1)),
                new MockMultipartFile("files", "faux.zip", "application/zip", "not a zip".getBytes()))
                .getResponse().getContentAsString();
        List<Map<String, Object>> results = JsonPath.read(report, "$.results");
        // One result per upload: the corrupt zip too, which reads as an archive without entries.
        assertThat(results).hasSize(5);
        assertThat((Integer) JsonPath.read(report, "$.files")).isEqualTo(5);
        assertThat(results).extracting(r -> r.get("outcome")).containsOnly("REJECTED");
        assertThat(results).extracting(r -> (String) r.get("reason")).anySatisfy(
                reason -> assertThat(reason).contains("no title")).anySatisfy(
                reason -> assertThat(reason).contains("not valid YAML")).anySatisfy(
                reason -> assertThat(reason).contains("not a Markdown file")).anySatisfy(
                reason -> assertThat(reason).contains("UTF-8"));
        assertThat(results).filteredOn(r -> "faux.zip".equals(r.get("file"))).singleElement()
                .satisfies(r -> assertThat((String) r.get("reason")).contains("not a zip archive"));
    }

    private static byte[] zip(Map<String, String> files) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void twoFilesWithTheSameSlugInOneImportAreNotBothWritten() throws Exception {
        String slug = "forum-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("2019/" + slug + ".md", "---\ntitle: Forum 2019\nevent_start_date: 2019-06-01 10:00:00 +02:00\n---\n");
        files.put("2020/" + slug + ".md", "---\ntitle: Forum 2020\nevent_start_date: 2020-06-01 10:00:00 +02:00\n---\n");
        String report = upload("", new MockMultipartFile("files", "forums.zip", "application/zip", zip(files)))
                .getResponse().getContentAsString();
        List<Map<String, Object>> results = JsonPath.read(report, "$.results");
        assertThat(results).extracting(r -> r.get("outcome")).containsExactly("CREATED", "REJECTED");
        assertThat((String) results.get(1).get("reason")).contains("same slug '" + slug + "'")
                .contains("2019/" + slug + ".md");
        mvc.perform(get("/api/events/" + results.get(0).get("eventId")).header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(jsonPath("$.title").value("Forum 2019"));

        String empty = upload("", new MockMultipartFile("files", "vide.zip", "application/zip", zip(Map.of())))
                .getResponse().getContentAsString();
        assertThat((String) JsonPath.read(empty, "$.results[0].reason")).contains("empty");
    }

    @Test
    void hiddenAndEscapingZipEntriesAreReportedButMacOsJunkIsNot() throws Exception {
        String slug = "cache-" + UUID.randomUUID().toString().substring(0, 8);
        String event = "---\ntitle: Caché\nevent_start_date: 2030-06-01 10:00:00 +02:00\n---\n";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("./_evenements/" + slug + ".md", event);
        files.put("../../" + slug + "-evade.md", event);
        files.put("_evenements/.hidden-" + slug + ".md", event);
        files.put(".brouillons/" + slug + "-b.md", event);
        files.put("__MACOSX/_evenements/._" + slug + ".md", "\u0000\u0005\u0016\u0007");
        files.put("_evenements/._" + slug + ".md", "\u0000\u0005\u0016\u0007");
        files.put("_evenements/.DS_Store", "\u0000\u0000\u0000\u0001Bud1");
        String report = upload("", new MockMultipartFile("files", "caches.zip", "application/zip", zip(files)))
                .getResponse().getContentAsString();
        List<Map<String, Object>> results = JsonPath.read(report, "$.results");
        // These three used to be skipped without a word: one event imported out of four Markdown files.
        Map<Object, Map<String, Object>> byFile = new LinkedHashMap<>();
        results.forEach(r -> byFile.put(r.get("file"), r));
        assertThat(byFile.keySet()).containsExactlyInAnyOrder(
                "./_evenements/" + slug + ".md",
                "caches.zip!../../" + slug + "-evade.md",
                "caches.zip!_evenements/.hidden-" + slug + ".md",
                "caches.zip!.brouillons/" + slug + "-b.md");
        assertThat(byFile.get("./_evenements/" + slug + ".md")).containsEntry("outcome", "CREATED")
                .containsEntry("slug", slug);
        assertThat(byFile.get("caches.zip!../../" + slug + "-evade.md")).containsEntry("outcome", "REJECTED")
                .hasEntrySatisfying("reason", reason -> assertThat((String) reason).contains("leaves the archive"));
        assertThat(byFile.get("caches.zip!_evenements/.hidden-" + slug + ".md")).containsEntry("outcome", "REJECTED")
                .hasEntrySatisfying("reason", reason -> assertThat((String) reason).contains("hidden"));
        assertThat(byFile.get("caches.zip!.brouillons/" + slug + "-b.md")).containsEntry("outcome", "REJECTED")
                .hasEntrySatisfying("reason", reason -> assertThat((String) reason).contains("hidden"));
        assertThat((Integer) JsonPath.read(report, "$.rejected")).isEqualTo(3);
    }

    @Test
    void aFileWhoseNameGivesTheSlugOfAnEventImportedFromAnotherFileDoesNotReplaceIt() throws Exception {
        // Slugs are cut at 120 characters: as with four corpus files, two long names can give one slug.
        String common = "rencontre-" + UUID.randomUUID().toString().substring(0, 8) + "-" + "sur-le-numerique-".repeat(8);
        String file = "---\ntitle: %s\nevent_start_date: 2030-06-01 10:00:00 +02:00\n---\nCorps.\n";
        String first = upload("", markdown(common + "premiere-edition", file.formatted("Première")))
                .getResponse().getContentAsString();
        assertThat((String) JsonPath.read(first, "$.results[0].outcome")).isEqualTo("CREATED");
        String slug = JsonPath.read(first, "$.results[0].slug");
        String id = JsonPath.read(first, "$.results[0].eventId");

        String other = upload("", markdown(common + "seconde-edition", file.formatted("Seconde")))
                .getResponse().getContentAsString();
        assertThat((String) JsonPath.read(other, "$.results[0].outcome")).isEqualTo("REJECTED");
        assertThat((String) JsonPath.read(other, "$.results[0].reason")).contains("'" + slug + "'")
                .contains("already the event imported from '" + common + "premiere-edition'");
        mvc.perform(get("/api/events/" + id).header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(jsonPath("$.title").value("Première"));

        // The same file again, and the event's own export (named by its slug), are that event.
        assertThat((String) JsonPath.read(upload("", markdown(common + "premiere-edition", file.formatted("Première")))
                .getResponse().getContentAsString(), "$.results[0].outcome")).isEqualTo("UNCHANGED");
        assertThat(exportAndReimport(id, slug)).startsWith("UNCHANGED ");
    }

    @Test
    void aFileWhoseNameOnlyTurnsIntoTheSlugOfAnEventCreatedThroughTheApiDoesNotReplaceIt() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String id = JsonPath.read(mvc.perform(post("/api/events").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Fête 🎉 du code " + marker
                        + "\", \"startsAt\": \"2030-06-01T10:00:00+02:00\"}"))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString(), "$.id");
        String slug = "fete-du-code-" + marker;
        String file = "---\ntitle: Tout autre chose\nevent_start_date: 2030-06-02 10:00:00 +02:00\n---\nCorps.\n";

        String other = upload("", markdown("Fête du code " + marker, file)).getResponse().getContentAsString();
        assertThat((String) JsonPath.read(other, "$.results[0].outcome")).isEqualTo("REJECTED");
        assertThat((String) JsonPath.read(other, "$.results[0].reason")).contains("'" + slug + "'")
                .contains("name the file " + slug + ".md");
        mvc.perform(get("/api/events/" + id).header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(jsonPath("$.title").value("Fête 🎉 du code " + marker));

        // Named by its slug, as its export names it, the file is that event.
        assertThat((String) JsonPath.read(upload("", markdown(slug, file)).getResponse().getContentAsString(),
                "$.results[0].outcome")).isEqualTo("UPDATED");
    }

    @Test
    void anEventImportedBeforeSourcesWereKeptIsStillUpdatedByItsOddlyNamedFile() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String name = "Guichet <<cloud>> " + marker;
        String file = "---\ntitle: Guichet\nevent_start_date: 2030-06-01 10:00:00 +02:00\n---\nCorps.\n";
        String first = upload("", markdown(name, file)).getResponse().getContentAsString();
        String id = JsonPath.read(first, "$.results[0].eventId");
        // As an earlier version stored it: no importedFrom.
        mongo.updateFirst(Query.query(
                Criteria.where("_id").is(id)),
                new Update().unset("importedFrom"), "events");

        String again = upload("", markdown(name, file.replace("Corps.", "Corps modifié."))).getResponse()
                .getContentAsString();
        assertThat((String) JsonPath.read(again, "$.results[0].outcome")).isEqualTo("UPDATED");
    }

    @Test
    void reimportingAFileDoesNotPutBackOnAnEventCancelledSince() throws Exception {
        String slug = "annule-" + UUID.randomUUID().toString().substring(0, 8);
        String file = "---\ntitle: Annulé depuis\nevent_start_date: 2030-06-01 10:00:00 +02:00\n---\nCorps.\n";
        String first = upload("", markdown(slug, file)).getResponse().getContentAsString();
        String id = JsonPath.read(first, "$.results[0].eventId");
        mvc.perform(post(
                "/api/events/" + id + "/cancel").header(HttpHeaders.AUTHORIZATION, ADMIN)).andExpect(status().isOk());

        // The site's folder imported again, as it was before the cancellation: no "cancelled" key in it.
        String again = upload("", markdown(slug, file)).getResponse().getContentAsString();
        assertThat((String) JsonPath.read(again, "$.results[0].outcome")).isEqualTo("UNCHANGED");
        assertThat((String) JsonPath.read(again, "$.results[0].status")).isEqualTo("CANCELLED");
        assertThat(again).contains("stays cancelled");
        assertThat(exportedFileNames("?status=CANCELLED")).contains("_evenements/" + slug + ".markdown")
                .allSatisfy(name -> assertThat(name).startsWith("_evenements/"));
        assertThat(exportedFileNames("?status=PUBLISHED")).doesNotContain("_evenements/" + slug + ".markdown");

        // A file that says so schedules it again.
        String back = upload("", markdown(slug, file.replace("---\nCorps", "cancelled: false\n---\nCorps")))
                .getResponse().getContentAsString();
        assertThat((String) JsonPath.read(back, "$.results[0].outcome")).isEqualTo("UPDATED");
        assertThat((String) JsonPath.read(back, "$.results[0].status")).isEqualTo("PUBLISHED");
    }

    private List<String> exportedFileNames(String query) throws Exception {
        byte[] zip = mvc.perform(get("/api/exports/jekyll" + query).header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray();
        List<String> names = new java.util.ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    private static MockMultipartFile markdown(String slug, String text) {
        return new MockMultipartFile("files", slug + ".md", "text/markdown", text.getBytes(StandardCharsets.UTF_8));
    }

    private String exportAndReimport(String id, String slug) throws Exception {
        String text = mvc.perform(get("/api/events/" + id + "/jekyll").header(HttpHeaders.AUTHORIZATION, ADMIN))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        String report = upload("", new MockMultipartFile("files", slug + ".markdown", "text/markdown",
                text.getBytes(StandardCharsets.UTF_8))).getResponse().getContentAsString();
        return JsonPath.read(report, "$.results[0].outcome") + " " + text;
    }

    @Test
    void anEventCreatedThroughTheApiExportsAndReimportsUnchangedPublishedOrDraft() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        for (String query : List.of("?publish=true", "")) {
            String json = """
                    {"title": "Aller-retour %s %s", "lead": "Un chapeau", "startsAt": "2030-05-25T14:00:00.250+02:00",
                     "endsAt": "2030-05-25T18:00:00+02:00", "venue": "Ségur",
                     "categories": ["Atelier", " Atelier ", "Formation"], "tags": ["IA ", "IA"],
                     "images": [{"url": " /uploads/a.png ", "caption": " Affiche ", "altText": "Une tasse "}],
                     "access": [{"type": " Métro ", "lines": [" 10 Ségur "]}],
                     "infos": [{"label": " Inscription ", "content": "Gratuite ", "link": "https://example.org/i"}],
                     "body": "Le **programme**.\\r\\n\\r\\nSuite, après une fin de ligne CRLF."}
                    """.formatted(marker, query.isEmpty() ? "brouillon" : "publié");
            MvcResult created = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                    .post("/api/events" + query).header(HttpHeaders.AUTHORIZATION, ADMIN)
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON).content(json))
                    .andExpect(status().isCreated()).andReturn();
            String body = created.getResponse().getContentAsString();
            // Trimmed and without the repeated category, as the Jekyll reader keeps them (spaces used to be kept).
            assertThat((List<String>) JsonPath.read(body, "$.categories")).containsExactly("Atelier", "Formation");
            assertThat((List<String>) JsonPath.read(body, "$.tags")).containsExactly("IA");
            assertThat((String) JsonPath.read(body, "$.infos[0].label")).isEqualTo("Inscription");
            String outcome = exportAndReimport(JsonPath.read(body, "$.id"), JsonPath.read(body, "$.slug"));
            assertThat(outcome).as(query).startsWith("UNCHANGED ");
            if (query.isEmpty()) {
                assertThat(outcome).as("a draft has no publication date to write").doesNotContain("\ndate:");
            }
        }
    }
}
