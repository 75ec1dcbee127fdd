package dev.agenda.support.web;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Bounds request bodies: a declared length above the limit is refused at once with a 413 problem, a body without a
 * declared length (chunked) fails with {@link PayloadTooLargeException} as soon as it crosses it, which the services'
 * {@link FieldProblemExceptionHandler} answers with the same 413. Nothing else bounds a JSON body: Jackson reads the
 * whole of it before validation counts its values, so a few concurrent requests of tens of megabytes filled the heap.
 * Each service says which limit applies to which request; register the subclass first in the filter chain.
 */
public abstract class BodyLimitFilter extends OncePerRequestFilter {

    /**
     * @param bytes       the largest body accepted
     * @param countStream whether a body without a declared length is counted as it is read; false for bodies the
     *                    container parses itself under its own limits (multipart uploads)
     */
    public record Limit(long bytes, boolean countStream) {
    }

    /** The limit of this request. */
    protected abstract Limit limitOf(HttpServletRequest request);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Limit limit = limitOf(request);
        long length = request.getContentLengthLong();
        if (length > limit.bytes()) {
            ProblemResponses.write(request, response, HttpStatus.CONTENT_TOO_LARGE,
                    "The request body is larger than " + limit.bytes() + " bytes.");
            return;
        }
        chain.doFilter(length < 0 && limit.countStream() ? new Limited(request, limit.bytes()) : request, response);
    }

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
