package dev.agenda.notification.web;

import java.io.IOException;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.agenda.support.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Bounds request bodies (see {@link BodyLimits}): a declared length above the limit is refused at once with a 413
 * problem, a chunked body fails as soon as it crosses it. Without it, a few concurrent anonymous requests of tens of
 * megabytes to {@code POST /api/subscriptions} filled the heap (Jackson builds the whole list before validation
 * refuses its 51st value) and the service exited on OutOfMemoryError. Form posts are bounded by Tomcat itself
 * ({@code server.tomcat.max-http-form-post-size}, 2 MB).
 */
@Component
@Order(0)
@EnableConfigurationProperties(BodyLimits.class)
class BodyLimitFilter extends OncePerRequestFilter {

    static final String IMPORT_PATH = "/api/admin/subscribers/import";

    private final BodyLimits limits;

    BodyLimitFilter(BodyLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        long limit = (path.equals(IMPORT_PATH) ? limits.maxImportBody() : limits.maxBody()).toBytes();
        long length = request.getContentLengthLong();
        if (length > limit) {
            ProblemResponses.write(request, response, HttpStatus.CONTENT_TOO_LARGE,
                    "The request body is larger than " + limit + " bytes.");
            return;
        }
        chain.doFilter(length < 0 ? new Limited(request, limit) : request, response);
    }

    /** A body without a declared length, read through a counter. */
    private static final class Limited extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long count;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0 && ++count > limit) {
                            throw new PayloadTooLargeException(limit);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0 && (count += n) > limit) {
                            throw new PayloadTooLargeException(limit);
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
