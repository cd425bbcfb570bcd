package script

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
)

// MaxWordLen is how many bytes a command word or a number holds; a longer one is unknown or
// invalid (spec-notes N17).
const MaxWordLen = MaxQuotedToken

// What tokenReader.token returns besides a token's length (Java: TokenReader).
const (
	endOfLine int64 = -1 // the line has no more tokens; its end has been read
	overLimit int64 = -2 // the token passed its limit; the rest of the line is unread
	noLimit   int64 = 1<<63 - 1
)

// tokenReader reads a script as lines of tokens, one token at a time and each within a bound
// (N17): only a token's first keep bytes are held, the rest is counted, and a token that
// passes its limit is refused as soon as it does. Memory is the reader's buffer plus the kept
// bytes, whatever the length of a line.
type tokenReader struct {
	in        *bufio.Reader
	lineEnded bool
}

func newTokenReader(in *bufio.Reader) *tokenReader {
	return &tokenReader{in: in, lineEnded: true}
}

// avail is the buffered input, at least one byte; nil at the end of the input.
func (t *tokenReader) avail() ([]byte, error) {
	if _, err := t.in.Peek(1); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, err
	}
	b, _ := t.in.Peek(t.in.Buffered())
	return b, nil
}

// nextLine starts the next line, skipping what is left of the current one; false at the end.
func (t *tokenReader) nextLine() (bool, error) {
	if !t.lineEnded {
		if err := t.skipLine(); err != nil {
			return false, err
		}
	}
	b, err := t.avail()
	if err != nil || b == nil {
		return false, err
	}
	t.lineEnded = false
	return true, nil
}

// skipLine skips the rest of the current line, whatever its length, holding none of it.
func (t *tokenReader) skipLine() error {
	for !t.lineEnded {
		b, err := t.avail()
		if err != nil {
			return err
		}
		if b == nil {
			t.lineEnded = true
			break
		}
		if p := bytes.IndexByte(b, '\n'); p >= 0 {
			t.in.Discard(p + 1)
			t.lineEnded = true
		} else {
			t.in.Discard(len(b))
		}
	}
	return nil
}

// crEndsLine, at a '\r': consumes it, and reports whether a '\n' (consumed too) or the end of
// the input follows, i.e. whether it ends the line (N1, N13).
func (t *tokenReader) crEndsLine() (bool, error) {
	t.in.Discard(1)
	b, err := t.avail()
	if err != nil {
		return false, err
	}
	if b == nil {
		return true, nil
	}
	if b[0] == '\n' {
		t.in.Discard(1)
		return true, nil
	}
	return false, nil
}

// token skips blanks, then reads one token, appending its first keep bytes to (*into)[:0].
// It returns the token's full length, endOfLine, or overLimit as soon as the token's
// limit+1-th byte is read.
func (t *tokenReader) token(into *[]byte, keep int, limit int64) (int64, error) {
	*into = (*into)[:0]
	var n int64
	for {
		if t.lineEnded {
			return endOfLine, nil
		}
		b, err := t.avail()
		if err != nil {
			return 0, err
		}
		if b == nil {
			t.lineEnded = true
			return endOfLine, nil
		}
		c := b[0]
		if c == ' ' || c == '\t' {
			t.in.Discard(1)
			continue
		}
		if c == '\n' {
			t.in.Discard(1)
			t.lineEnded = true
			return endOfLine, nil
		}
		if c == '\r' {
			ends, err := t.crEndsLine()
			if err != nil {
				return 0, err
			}
			if ends {
				t.lineEnded = true
				return endOfLine, nil
			}
			// The '\r' (consumed) is the token's first byte.
			n = 1
			if keep > 0 {
				*into = append(*into, '\r')
			}
		}
		break
	}
	for {
		b, err := t.avail()
		if err != nil {
			return 0, err
		}
		if b == nil {
			t.lineEnded = true
			return n, nil
		}
		p := 0
		for p < len(b) && b[p] != ' ' && b[p] != '\t' && b[p] != '\n' && b[p] != '\r' {
			p++
		}
		if int64(p) > limit-n {
			t.in.Discard(int(limit-n) + 1)
			return overLimit, nil
		}
		if room := keep - len(*into); room > 0 {
			*into = append(*into, b[:min(p, room)]...)
		}
		n += int64(p)
		stop := byte(0)
		more := p < len(b)
		if more {
			stop = b[p]
		}
		t.in.Discard(p)
		if !more {
			continue
		}
		switch stop {
		case ' ', '\t':
			return n, nil
		case '\n':
			t.in.Discard(1)
			t.lineEnded = true
			return n, nil
		default: // '\r'
			ends, err := t.crEndsLine()
			if err != nil {
				return 0, err
			}
			if ends {
				t.lineEnded = true
				return n, nil
			}
			// A '\r' not at the end of the line is a token byte.
			if n >= limit {
				return overLimit, nil
			}
			if len(*into) < keep {
				*into = append(*into, '\r')
			}
			n++
		}
	}
}

// escapeKept quotes a token of full bytes of which kept (the whole token, or at least 64
// bytes) are at hand, as EscapeToken quotes it.
func escapeKept(kept []byte, full int64) string {
	if int64(len(kept)) == full {
		return EscapeToken(kept)
	}
	if len(kept) < MaxQuotedToken {
		panic("escapeKept: too few bytes kept")
	}
	return EscapeToken(kept[:MaxQuotedToken]) + "...(" + strconv.FormatInt(full, 10) + " bytes)"
}
