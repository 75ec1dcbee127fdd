package dev.agenda.publishing.site;

import java.io.Writer;

/**
 * A {@link Writer} into a {@link StringBuilder}: {@link java.io.StringWriter} appends to a synchronized
 * {@link StringBuffer}, a lock per write that template and calendar output pay thousands of times per page.
 * One thread per instance.
 */
final class TextWriter extends Writer {

    private final StringBuilder text;

    TextWriter(int capacity) {
        this.text = new StringBuilder(capacity);
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        text.append(chars, offset, length);
    }

    @Override
    public void write(int c) {
        text.append((char) c);
    }

    @Override
    public void write(String string) {
        // Whole strings are most of what templates write. On Java 17, append(CharSequence, int, int) copies a String
        // char by char (4 % of a full build's CPU); append(String) copies its array at once.
        text.append(string);
    }

    @Override
    public void write(String string, int offset, int length) {
        if (offset == 0 && length == string.length()) {
            text.append(string);
        } else {
            text.append(string, offset, offset + length);
        }
    }

    @Override
    public Writer append(CharSequence chars) {
        text.append(chars);
        return this;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
