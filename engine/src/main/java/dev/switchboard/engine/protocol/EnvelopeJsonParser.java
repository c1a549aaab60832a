package dev.switchboard.engine.protocol;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.JsonReadContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;
import com.fasterxml.jackson.core.util.BufferRecycler;

import java.io.IOException;

/**
 * A jackson-core UTF-8 byte parser that is re-pointed at each new message instead of being created per message.
 * <p>
 * {@code JsonFactory.createParser(byte[], ...)} allocates a parser, a context and buffers per call; this subclass
 * keeps one instance per IoAgent thread and resets the protected input, location and context fields that a
 * fresh parser would start with. The root context is kept and reset, and child contexts are cached by Jackson,
 * so steady state allocates nothing. The caller never reads past the root value's closing token, so the parser
 * never reaches end-of-input at the root and never closes (closing would hand its buffers back to the recycler).
 */
final class EnvelopeJsonParser extends UTF8StreamJsonParser
{
    private final JsonReadContext rootContext;

    private EnvelopeJsonParser(final IOContext ioContext, final int features, final ByteQuadsCanonicalizer symbols)
    {
        super(ioContext, features, null, null, symbols, new byte[0], 0, 0, 0, false);
        rootContext = _parsingContext;
    }

    /**
     * Build a parser with its own buffers and field-name table.
     *
     * @param maxNestingDepth deepest nesting accepted before the parser fails the document.
     * @param textChars       characters the text buffer holds up front, so strings that long decode without growth.
     * @return a parser to {@link #reset} before each document.
     */
    static EnvelopeJsonParser create(final int maxNestingDepth, final int textChars)
    {
        final StreamReadConstraints constraints = StreamReadConstraints.builder()
            .maxNestingDepth(maxNestingDepth)
            .build();
        final IOContext ioContext = new IOContext(
            constraints,
            StreamWriteConstraints.defaults(),
            ErrorReportConfiguration.defaults(),
            new BufferRecycler(),
            ContentReference.redacted(),
            false);
        final ByteQuadsCanonicalizer symbols = ByteQuadsCanonicalizer.createRoot()
            .makeChild(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES.getMask());
        final EnvelopeJsonParser parser =
            new EnvelopeJsonParser(ioContext, JsonParser.Feature.collectDefaults(), symbols);
        parser._textBuffer.emptyAndGetCurrentSegment();
        parser._textBuffer.expandCurrentSegment(textChars);
        parser._textBuffer.resetWithEmpty();
        return parser;
    }

    /**
     * Point the parser at a new document and clear every piece of per-document state.
     *
     * @param buffer bytes holding the document.
     * @param start  index of the document's first byte.
     * @param end    index one past the document's last byte.
     */
    void reset(final byte[] buffer, final int start, final int end)
    {
        _inputBuffer = buffer;
        _inputPtr = start;
        _inputEnd = end;
        _currInputProcessed = 0;
        _currInputRow = 1;
        _currInputRowStart = start;
        _tokenInputTotal = 0;
        _tokenInputRow = 1;
        _tokenInputCol = 0;
        _nameStartOffset = 0;
        _nameStartRow = 1;
        _nameStartCol = 0;
        _tokenIncomplete = false;
        _currToken = null;
        _nextToken = null;
        _lastClearedToken = null;
        _tokenCount = 0;
        _nameCopied = false;
        _binaryValue = null;
        _numTypesValid = NR_UNKNOWN;
        _numberString = null;
        _numberBigInt = null;
        _numberBigDecimal = null;
        _closed = false;
        rootContext.reset(0, 1, 0);
        _parsingContext = rootContext;
    }

    /**
     * The buffer of the current document.
     *
     * @return the bytes passed to {@link #reset}.
     */
    byte[] inputBuffer()
    {
        return _inputBuffer;
    }

    /**
     * Index in the input buffer just past the last byte consumed.
     *
     * @return the read position.
     */
    int inputPtr()
    {
        return _inputPtr;
    }

    /**
     * Index in the input buffer of the first byte of the current field name, just after its opening quote.
     *
     * @return the name's first byte.
     */
    int nameStart()
    {
        return _nameStartOffset;
    }

    /**
     * Consume the rest of a string value without decoding it, so that {@link #inputPtr()} is past its closing quote.
     *
     * @throws IOException when the string is malformed.
     */
    void skipIncompleteString() throws IOException
    {
        if (_tokenIncomplete)
        {
            _tokenIncomplete = false;
            _skipString();
        }
    }

    /**
     * Number of field names held in the parser's name table.
     *
     * @return names interned so far.
     */
    int symbolCount()
    {
        return _symbols.size();
    }
}
