// Hostile XML documents shared by the chunker, pipeline and route tests (not production code).
export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<r><h>&lol3;</h></r>`;
export const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<r><h>&xxe;</h></r>`;
export const deepNesting = (levels: number) =>
  `<r><h>${'<a>'.repeat(levels)}${'</a>'.repeat(levels)}</h></r>`;
