package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.ServletWebRequest;

/** Conditional GETs of the preview server: a rewritten page is never answered 304 with the copy a client holds. */
class PreviewControllerTest {

    private static final Instant SECOND = Instant.parse("2026-11-28T10:00:00Z");

    @TempDir
    Path output;

    private PreviewController controller() {
        return new PreviewController(() -> output.resolve("current"));
    }

    private record Answer(int status, ResponseEntity<Resource> entity) {
    }

    private Answer get(String ifNoneMatch, String ifModifiedSince) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/agenda/forum/");
        if (ifNoneMatch != null) {
            request.addHeader("If-None-Match", ifNoneMatch);
        }
        if (ifModifiedSince != null) {
            request.addHeader("If-Modified-Since", ifModifiedSince);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        ResponseEntity<Resource> entity = controller().serve(request, new ServletWebRequest(request, response));
        return new Answer(entity == null ? response.getStatus() : entity.getStatusCode().value(), entity);
    }

    private Path write(String text, Instant mtime, boolean byRename) throws Exception {
        Path page = output.resolve("current/agenda/forum/index.html");
        Files.createDirectories(page.getParent());
        if (byRename) {
            Path temp = page.resolveSibling(".index.html.tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(temp, FileTime.from(mtime));
            Files.move(temp, page, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.writeString(page, text, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(page, FileTime.from(mtime));
        }
        return page;
    }

    private static String body(Answer answer) throws Exception {
        return answer.entity().getBody().getContentAsString(StandardCharsets.UTF_8);
    }

    @Test
    void aPageRewrittenWithinTheSameSecondIsServedAgainNotAnswered304() throws Exception {
        write("<p>Version A</p>", SECOND.plusMillis(100), false);
        Answer first = get(null, null);
        assertThat(first.status()).isEqualTo(200);
        String etag = first.entity().getHeaders().getETag();
        String lastModified = first.entity().getHeaders().getFirst("Last-Modified");
        assertThat(etag).startsWith("\"").doesNotStartWith("W/");
        assertThat(lastModified).isNotNull();
        assertThat(get(etag, lastModified).status()).isEqualTo(304);

        // Same size, same second: only the ETag can tell.
        write("<p>Version B</p>", SECOND.plusMillis(600), false);
        Answer second = get(etag, lastModified);
        assertThat(second.status()).isEqualTo(200);
        assertThat(body(second)).isEqualTo("<p>Version B</p>");
        assertThat(second.entity().getHeaders().getETag()).isNotEqualTo(etag);
        assertThat(get(second.entity().getHeaders().getETag(), null).status()).isEqualTo(304);

        // Even with an identical size and mtime, the atomic writer's rename makes a new file: a new ETag.
        String before = second.entity().getHeaders().getETag();
        write("<p>Version C</p>", SECOND.plusMillis(600), true);
        Answer third = get(before, lastModified);
        assertThat(third.status()).isEqualTo(200);
        assertThat(body(third)).isEqualTo("<p>Version C</p>");
    }

    private Answer getPath(String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        ResponseEntity<Resource> entity = controller().serve(request, new ServletWebRequest(request, response));
        return new Answer(entity == null ? response.getStatus() : entity.getStatusCode().value(), entity);
    }

    /** A dead link used to get a 404 with an empty body: a blank page, no way back to the agenda. */
    @Test
    void aMissingPageIsA404WithTheSitesOwn404Page() throws Exception {
        write("<p>Forum</p>", SECOND, false);
        Files.writeString(output.resolve("current/404.html"), "<h1>Page introuvable</h1>", StandardCharsets.UTF_8);
        for (String path : List.of("/agenda/renomme/", "/agenda/forum/forum.ics", "/assets/absent.css",
                "/agenda/forum/.index.html.tmp", "/agenda/%2e%2e/%2e%2e/etc/passwd")) {
            Answer answer = getPath(path);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.entity().getHeaders().getContentType()).as(path).hasToString("text/html;charset=UTF-8");
            assertThat(body(answer)).as(path).isEqualTo("<h1>Page introuvable</h1>");
        }
        assertThat(getPath("/agenda/forum/").status()).isEqualTo(200);
    }

    @Test
    void aPlusSignInAPathIsAPlusSignAndAnEncodedSpaceASpace() throws Exception {
        Files.createDirectories(output.resolve("current/assets"));
        Files.writeString(output.resolve("current/assets/c++.txt"), "plus", StandardCharsets.UTF_8);
        Files.writeString(output.resolve("current/assets/a b.txt"), "space", StandardCharsets.UTF_8);

        assertThat(body(getPath("/assets/c++.txt"))).isEqualTo("plus");
        assertThat(body(getPath("/assets/c%2B%2B.txt"))).isEqualTo("plus");
        assertThat(body(getPath("/assets/a%20b.txt"))).isEqualTo("space");
    }

    @Test
    void beforeTheFirstBuildWroteIt404sStayEmpty() throws Exception {
        write("<p>Forum</p>", SECOND, false);
        Answer answer = getPath("/agenda/renomme/");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.entity().getBody()).isNull();
    }
}

