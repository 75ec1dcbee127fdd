package dev.agenda.events.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

import dev.agenda.support.web.PayloadTooLargeException;
import dev.agenda.support.web.ProblemResponses;

/**
 * {@code Idempotency-Key} on POST (draft-ietf-httpapi-idempotency-key-header): the first request with a key runs and
 * its response is stored; a retry with the same key and the same request gets that response again (header
 * {@code Idempotent-Replayed: true}) and creates nothing. The same key with another request is refused (422); a
 * retry while the first one still runs gets 409. Keys are per user. 5xx responses are not kept, so a retry can
 * succeed.
 */
@Component
@Order(10)
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    private static final List<String> REPLAYED_HEADERS = List.of(HttpHeaders.LOCATION, HttpHeaders.ETAG,
            HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_DISPOSITION);

    private final IdempotencyStore store;

    IdempotencyFilter(IdempotencyStore store) {
        this.store = store;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER).strip();
        if (key.isEmpty() || key.length() > 255) {
            ProblemResponses.write(request, response, HttpStatus.BAD_REQUEST,
                    "Idempotency-Key must be 1 to 255 characters long.");
            return;
        }
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        String id = (user == null ? "anonymous" : user.getName()) + ":" + key;
        String type = request.getContentType();
        boolean multipart = type != null && type.toLowerCase().startsWith("multipart/");
        byte[] body;
        try {
            // Multipart bodies are parsed by the container from the raw stream: they are fingerprinted by their
            // parsed parts (names, file names, contents), which the container keeps for the controller.
            body = multipart ? parts(request) : request.getInputStream().readAllBytes();
        } catch (PayloadTooLargeException e) {
            ProblemResponses.write(request, response, HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
            return;
        } catch (IOException | ServletException | IllegalStateException e) {
            if (!multipart) {
                throw e;
            }
            // A multipart body that cannot be parsed: nothing will run, so nothing to remember. MVC answers it
            // (400, or 413 above the upload limit) when it parses the body again.
            chain.doFilter(request, response);
            return;
        }
        String fingerprint = fingerprint(request, body);

        Optional<IdempotencyStore.Entry> existing = store.claim(id, fingerprint, Instant.now());
        if (existing.isPresent()) {
            IdempotencyStore.Entry entry = existing.get();
            if (!entry.fingerprint().equals(fingerprint)) {
                ProblemResponses.write(request, response, HttpStatus.UNPROCESSABLE_CONTENT,
                        "This Idempotency-Key was already used for a different request.");
            } else if (!entry.done()) {
                ProblemResponses.write(request, response, HttpStatus.CONFLICT,
                        "A request with this Idempotency-Key is still being processed; retry later.");
            } else {
                response.setStatus(entry.status());
                entry.headers().forEach(response::setHeader);
                response.setHeader("Idempotent-Replayed", "true");
                if (entry.body() != null) {
                    response.getOutputStream().write(entry.body());
                }
            }
            return;
        }
        ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
        boolean completed = false;
        try {
            chain.doFilter(multipart ? request : new Buffered(request, body), recorded);
            if (recorded.getStatus() < 500) {
                Map<String, String> headers = new LinkedHashMap<>();
                for (String name : REPLAYED_HEADERS) {
                    String value = recorded.getHeader(name);
                    if (value != null) {
                        headers.put(name, value);
                    }
                }
                if (recorded.getContentType() != null) {
                    headers.put(HttpHeaders.CONTENT_TYPE, recorded.getContentType());
                }
                store.complete(id, recorded.getStatus(), headers, recorded.getContentAsByteArray());
                completed = true;
            }
        } finally {
            if (!completed) {
                store.release(id);
            }
            recorded.copyBodyToResponse();
        }
    }

    /** A digest of every part, in order: its name, file name, content type and content. */
    private static byte[] parts(HttpServletRequest request) throws IOException, ServletException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Part part : request.getParts()) {
                sha.update((part.getName() + "\u0000" + part.getSubmittedFileName() + "\u0000" + part.getContentType()
                        + "\u0000" + part.getSize() + "\u0000").getBytes(StandardCharsets.UTF_8));
                try (InputStream in = part.getInputStream()) {
                    byte[] buffer = new byte[8192];
                    for (int n; (n = in.read(buffer)) > 0;) {
                        sha.update(buffer, 0, n);
                    }
                }
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fingerprint(HttpServletRequest request, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // The body is digested below; a multipart boundary (random per client) must not make a retry differ.
            sha.update((request.getMethod() + " " + request.getRequestURI() + "?" + request.getQueryString())
                    .getBytes(StandardCharsets.UTF_8));
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request with its body already read (to fingerprint it) served again from memory. */
    private static final class Buffered extends HttpServletRequestWrapper {

        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    StandardCharsets.UTF_8));
        }
    }
}
