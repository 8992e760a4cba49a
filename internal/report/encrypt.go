package report

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"regexp"
	"strconv"

	"tenken/internal/domain"
)

// PDF encryption with AES-256 (security handler revision 6, ISO 32000-2
// §7.6.4), written against what gopdf produces: classic cross-reference
// table, direct stream lengths, the document information dictionary
// inline in the trailer. pdfcpu v0.11.1 was tried and rejected: it writes
// the deprecated revision 5 handler (Adobe extension level 3, whose plain
// SHA-256 password hash is cheap to brute-force) and drops the document
// information dictionary; qpdf checks this implementation's revision 6 output
// in the tests.
//
// The same password opens the document and owns it: the town has one
// password to keep, and an owner password nobody knows would only lock
// the town out of its own report.

// encrypt returns pdf encrypted with password.
func encrypt(pdf []byte, password string) ([]byte, error) {
	out, err := encryptPDF(pdf, password, rand.Reader.Read)
	if err != nil {
		return nil, &domain.Error{Code: "report_encrypt", Message: "報告書（PDF）にパスワードを設定できませんでした。", Err: err}
	}
	return out, nil
}

var (
	objHeadRe = regexp.MustCompile(`^\s*(\d+) (\d+) obj\b`)
	lengthRe  = regexp.MustCompile(`/Length[ \t\r\n]+(\d+)`)
	infoRe    = regexp.MustCompile(`(?s)/Info\s*<<`)
)

// encryptPDF rewrites pdf with every string and stream encrypted and an
// /Encrypt dictionary added. random fills its argument with random bytes.
func encryptPDF(pdf []byte, password string, random func([]byte) (int, error)) ([]byte, error) {
	pw := []byte(password)
	if len(pw) > 127 {
		pw = pw[:127] // the standard's limit on a password's UTF-8 bytes
	}
	key := make([]byte, 32)
	if _, err := random(key); err != nil {
		return nil, err
	}
	enc, err := newEncryptor(key, random)
	if err != nil {
		return nil, err
	}

	// Objects, from after the header to the cross-reference table.
	start := bytes.Index(pdf, []byte("\n1 0 obj"))
	xref := bytes.LastIndex(pdf, []byte("\nxref\n"))
	if start < 0 || xref < 0 || xref < start {
		return nil, errors.New("unexpected PDF structure")
	}
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	var offsets []int // by object number, from 1
	p := start
	maxObj := 0
	for {
		loc := objHeadRe.FindSubmatchIndex(pdf[p:xref])
		if loc == nil {
			break
		}
		num, _ := strconv.Atoi(string(pdf[p+loc[2] : p+loc[3]]))
		p += loc[1]
		body, rest, err := enc.object(pdf[p:xref])
		if err != nil {
			return nil, fmt.Errorf("object %d: %w", num, err)
		}
		p = xref - len(rest)
		for len(offsets) < num {
			offsets = append(offsets, 0)
		}
		offsets[num-1] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n", num)
		buf.Write(body)
		buf.WriteString("\nendobj\n")
		maxObj = max(maxObj, num)
	}
	if maxObj == 0 {
		return nil, errors.New("no objects")
	}

	// The trailer: its /Info dictionary becomes an object of its own so
	// that its strings can be encrypted like any other.
	trailer := pdf[xref:]
	root := regexp.MustCompile(`/Root\s+(\d+ \d+ R)`).FindSubmatch(trailer)
	if root == nil {
		return nil, errors.New("no /Root in trailer")
	}
	infoRef := ""
	if loc := infoRe.FindIndex(trailer); loc != nil {
		dictStart := loc[1] - 2
		end, err := skipObject(trailer, dictStart)
		if err != nil {
			return nil, fmt.Errorf("trailer /Info: %w", err)
		}
		body, err := enc.strings(trailer[dictStart:end])
		if err != nil {
			return nil, err
		}
		maxObj++
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n", maxObj)
		buf.Write(body)
		buf.WriteString("\nendobj\n")
		infoRef = fmt.Sprintf("/Info %d 0 R\n", maxObj)
	}

	// The security handler's dictionary.
	dict, err := securityDict(pw, key, random)
	if err != nil {
		return nil, err
	}
	maxObj++
	encNum := maxObj
	offsets = append(offsets, buf.Len())
	fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", encNum, dict)

	id := make([]byte, 16)
	if _, err := random(id); err != nil {
		return nil, err
	}
	xrefAt := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", maxObj+1)
	for _, off := range offsets {
		if off == 0 {
			buf.WriteString("0000000000 65535 f \n")
			continue
		}
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	idHex := hex.EncodeToString(id)
	fmt.Fprintf(&buf, "trailer\n<<\n/Size %d\n/Root %s\n%s/Encrypt %d 0 R\n/ID [<%s> <%s>]\n>>\nstartxref\n%d\n%%%%EOF\n",
		maxObj+1, root[1], infoRef, encNum, idHex, idHex, xrefAt)
	return buf.Bytes(), nil
}

// encryptor encrypts strings and streams with the file key.
type encryptor struct {
	block  cipher.Block
	random func([]byte) (int, error)
}

func newEncryptor(key []byte, random func([]byte) (int, error)) (*encryptor, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return &encryptor{block: b, random: random}, nil
}

// seal encrypts data with AES-256-CBC under a fresh IV, which it puts in
// front, with PKCS#7 padding (§7.6.3).
func (e *encryptor) seal(data []byte) ([]byte, error) {
	pad := aes.BlockSize - len(data)%aes.BlockSize
	out := make([]byte, aes.BlockSize+len(data)+pad)
	if _, err := e.random(out[:aes.BlockSize]); err != nil {
		return nil, err
	}
	copy(out[aes.BlockSize:], data)
	for i := len(out) - pad; i < len(out); i++ {
		out[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(e.block, out[:aes.BlockSize]).CryptBlocks(out[aes.BlockSize:], out[aes.BlockSize:])
	return out, nil
}

// object encrypts one object's body (what follows "N 0 obj") and returns
// it with what follows its "endobj".
func (e *encryptor) object(src []byte) (body, rest []byte, err error) {
	// The object proper ends where the keyword stream or endobj appears
	// outside a string.
	i := 0
	for {
		i = skipSpace(src, i)
		if i >= len(src) {
			return nil, nil, errors.New("endobj missing")
		}
		if bytes.HasPrefix(src[i:], []byte("endobj")) || bytes.HasPrefix(src[i:], []byte("stream")) {
			break
		}
		j, err := skipObject(src, i)
		if err != nil {
			return nil, nil, err
		}
		i = j
	}
	head, err := e.strings(bytes.TrimSpace(src[:i]))
	if err != nil {
		return nil, nil, err
	}
	if bytes.HasPrefix(src[i:], []byte("endobj")) {
		return head, src[i+len("endobj"):], nil
	}
	// A stream: its data is exactly /Length bytes after the end of line.
	m := lengthRe.FindSubmatchIndex(head)
	if m == nil {
		return nil, nil, errors.New("stream without a direct /Length")
	}
	n, _ := strconv.Atoi(string(head[m[2]:m[3]]))
	i += len("stream")
	if i < len(src) && src[i] == '\r' {
		i++
	}
	if i < len(src) && src[i] == '\n' {
		i++
	}
	if i+n > len(src) {
		return nil, nil, errors.New("stream runs past the end")
	}
	sealed, err := e.seal(src[i : i+n])
	if err != nil {
		return nil, nil, err
	}
	i += n
	end := bytes.Index(src[i:], []byte("endstream"))
	if end < 0 {
		return nil, nil, errors.New("endstream missing")
	}
	i += end + len("endstream")
	i = skipSpace(src, i)
	if !bytes.HasPrefix(src[i:], []byte("endobj")) {
		return nil, nil, errors.New("endobj missing after stream")
	}
	var b bytes.Buffer
	b.Write(head[:m[2]])
	b.WriteString(strconv.Itoa(len(sealed)))
	b.Write(head[m[3]:])
	b.WriteString("\nstream\n")
	b.Write(sealed)
	b.WriteString("\nendstream")
	return b.Bytes(), src[i+len("endobj"):], nil
}

// strings copies src with every string, literal or hexadecimal, replaced
// by its encryption as a hexadecimal string.
func (e *encryptor) strings(src []byte) ([]byte, error) {
	var b bytes.Buffer
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '(':
			s, j, err := literalString(src, i)
			if err != nil {
				return nil, err
			}
			if err := e.writeHex(&b, s); err != nil {
				return nil, err
			}
			i = j
		case c == '<' && (i+1 >= len(src) || src[i+1] != '<'):
			end := bytes.IndexByte(src[i:], '>')
			if end < 0 {
				return nil, errors.New("unterminated hex string")
			}
			s, err := hexString(src[i+1 : i+end])
			if err != nil {
				return nil, err
			}
			if err := e.writeHex(&b, s); err != nil {
				return nil, err
			}
			i += end + 1
		case c == '<':
			b.WriteString("<<")
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.Bytes(), nil
}

func (e *encryptor) writeHex(b *bytes.Buffer, s []byte) error {
	sealed, err := e.seal(s)
	if err != nil {
		return err
	}
	b.WriteByte('<')
	b.WriteString(hex.EncodeToString(sealed))
	b.WriteByte('>')
	return nil
}

// literalString decodes the literal string starting at src[i] == '(' and
// returns it with the index just past its closing parenthesis.
func literalString(src []byte, i int) ([]byte, int, error) {
	var out []byte
	depth := 0
	for i < len(src) {
		c := src[i]
		switch c {
		case '(':
			if depth > 0 {
				out = append(out, c)
			}
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out, i + 1, nil
			}
			out = append(out, c)
		case '\\':
			i++
			if i >= len(src) {
				return nil, 0, errors.New("unterminated escape")
			}
			switch e := src[i]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r':
				if i+1 < len(src) && src[i+1] == '\n' {
					i++
				}
			case '\n':
			default:
				if e >= '0' && e <= '7' {
					v := 0
					k := 0
					for ; k < 3 && i+k < len(src) && src[i+k] >= '0' && src[i+k] <= '7'; k++ {
						v = v*8 + int(src[i+k]-'0')
					}
					out = append(out, byte(v))
					i += k - 1
				} else {
					out = append(out, e)
				}
			}
		default:
			out = append(out, c)
		}
		i++
	}
	return nil, 0, errors.New("unterminated string")
}

// hexString decodes the digits of a hexadecimal string, ignoring white
// space; an odd final digit is followed by an implied 0.
func hexString(s []byte) ([]byte, error) {
	digits := make([]byte, 0, len(s)+1)
	for _, c := range s {
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f':
		default:
			digits = append(digits, c)
		}
	}
	if len(digits)%2 == 1 {
		digits = append(digits, '0')
	}
	out := make([]byte, len(digits)/2)
	_, err := hex.Decode(out, digits)
	return out, err
}

// skipSpace returns the index of the first non-white-space byte from i.
func skipSpace(src []byte, i int) int {
	for i < len(src) {
		switch src[i] {
		case ' ', '\n', '\r', '\t', '\f', 0:
			i++
		default:
			return i
		}
	}
	return i
}

// skipObject returns the index just past the token or nested object at
// src[i]: a dictionary, array, string or any other token.
func skipObject(src []byte, i int) (int, error) {
	switch {
	case bytes.HasPrefix(src[i:], []byte("<<")):
		i += 2
		for {
			i = skipSpace(src, i)
			if i >= len(src) {
				return 0, errors.New("unterminated dictionary")
			}
			if bytes.HasPrefix(src[i:], []byte(">>")) {
				return i + 2, nil
			}
			j, err := skipObject(src, i)
			if err != nil {
				return 0, err
			}
			i = j
		}
	case src[i] == '[':
		i++
		for {
			i = skipSpace(src, i)
			if i >= len(src) {
				return 0, errors.New("unterminated array")
			}
			if src[i] == ']' {
				return i + 1, nil
			}
			j, err := skipObject(src, i)
			if err != nil {
				return 0, err
			}
			i = j
		}
	case src[i] == '(':
		_, j, err := literalString(src, i)
		return j, err
	case src[i] == '<':
		end := bytes.IndexByte(src[i:], '>')
		if end < 0 {
			return 0, errors.New("unterminated hex string")
		}
		return i + end + 1, nil
	case src[i] == '/':
		i++
		for i < len(src) && !isDelimiter(src[i]) {
			i++
		}
		return i, nil
	}
	j := i
	for j < len(src) && !isDelimiter(src[j]) {
		j++
	}
	if j == i {
		return 0, fmt.Errorf("unexpected %q", src[i])
	}
	return j, nil
}

// isDelimiter reports whether c ends a name or a bare token.
func isDelimiter(c byte) bool {
	switch c {
	case ' ', '\n', '\r', '\t', '\f', 0, '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// securityDict builds the /Encrypt dictionary of revision 6 for the
// password (user and owner alike) and the file key.
func securityDict(pw, key []byte, random func([]byte) (int, error)) (string, error) {
	salts := make([]byte, 32) // user validation, user key, owner validation, owner key
	if _, err := random(salts); err != nil {
		return "", err
	}
	uvs, uks, ovs, oks := salts[0:8], salts[8:16], salts[16:24], salts[24:32]

	// Algorithm 8: U and UE.
	u := append(append(hash2B(pw, uvs, nil), uvs...), uks...)
	ue, err := cbcNoIV(hash2B(pw, uks, nil), key)
	if err != nil {
		return "", err
	}
	// Algorithm 9: O and OE, bound to U.
	o := append(append(hash2B(pw, ovs, u), ovs...), oks...)
	oe, err := cbcNoIV(hash2B(pw, oks, u), key)
	if err != nil {
		return "", err
	}
	// Algorithm 10: Perms, the permissions encrypted with the file key.
	p := int32(-4) // every permission: the one password is also the owner's
	perms := make([]byte, 16)
	binary.LittleEndian.PutUint32(perms, uint32(p))
	perms[4], perms[5], perms[6], perms[7] = 0xff, 0xff, 0xff, 0xff
	perms[8], perms[9], perms[10], perms[11] = 'T', 'a', 'd', 'b'
	if _, err := random(perms[12:]); err != nil {
		return "", err
	}
	blk, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	blk.Encrypt(perms, perms)

	h := hex.EncodeToString
	return fmt.Sprintf("<<\n/Filter /Standard\n/V 5\n/R 6\n/Length 256\n/P %d\n"+
		"/CF << /StdCF << /Type /CryptFilter /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >>\n/StmF /StdCF\n/StrF /StdCF\n"+
		"/U <%s>\n/UE <%s>\n/O <%s>\n/OE <%s>\n/Perms <%s>\n/EncryptMetadata true\n>>",
		p, h(u), h(ue), h(o), h(oe), h(perms)), nil
}

// cbcNoIV encrypts the 32-byte file key with AES-256-CBC under a zero IV
// and no padding, as UE and OE require.
func cbcNoIV(k, data []byte) ([]byte, error) {
	blk, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	cipher.NewCBCEncrypter(blk, make([]byte, aes.BlockSize)).CryptBlocks(out, data)
	return out, nil
}

// hash2B is Algorithm 2.B of ISO 32000-2: the hash of a password with a
// salt (and, for the owner, the U string), hardened by at least 64 rounds
// of AES-128 and SHA-2.
func hash2B(pw, salt, udata []byte) []byte {
	h := sha256.New()
	h.Write(pw)
	h.Write(salt)
	h.Write(udata)
	k := h.Sum(nil)
	for round := 0; ; round++ {
		k1 := make([]byte, 0, 64*(len(pw)+len(k)+len(udata)))
		for i := 0; i < 64; i++ {
			k1 = append(k1, pw...)
			k1 = append(k1, k...)
			k1 = append(k1, udata...)
		}
		blk, _ := aes.NewCipher(k[:16])
		e := make([]byte, len(k1))
		cipher.NewCBCEncrypter(blk, k[16:32]).CryptBlocks(e, k1)
		sum := 0
		for _, c := range e[:16] {
			sum += int(c)
		}
		var next hash.Hash
		switch sum % 3 {
		case 0:
			next = sha256.New()
		case 1:
			next = sha512.New384()
		default:
			next = sha512.New()
		}
		next.Write(e)
		k = next.Sum(nil)
		if round >= 63 && int(e[len(e)-1]) <= round+1-32 {
			break
		}
	}
	return k[:32]
}
