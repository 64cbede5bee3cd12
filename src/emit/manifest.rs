//! `manifest.json`: every stack and module of a client, with its account, region, deploy order,
//! files and the inputs it needs. It is what a pipeline reads to deploy the output in order.

use serde::Serialize;

use super::{to_pretty_json, OutFile, UnitEntry};
use crate::catalog::Catalog;

/// The manifest, serialized straight from the unit entries: in an organization of thousands of
/// accounts it lists tens of thousands of units, too many to copy into a JSON tree first.
#[derive(Serialize)]
struct Manifest<'a> {
    #[serde(rename = "//")]
    comment: &'static str,
    client: &'a str,
    generator: &'static str,
    catalog: Stamp<'a>,
    /// The bases the blueprint extends, nearest first, with a digest of each one's text: a
    /// change of a base changes the manifest, so `synth --check` finds every client that
    /// extends it stale. Absent for a blueprint without bases.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    bases: &'a [BaseRecord],
    units: Vec<&'a UnitEntry>,
    /// Every other file of this generation: the files tarmac owns in the client folder. The next
    /// `synth` replaces or removes only these; anything else there is the user's.
    files: &'a [String],
}

/// The catalog the output was made with.
#[derive(Serialize)]
struct Stamp<'a> {
    version: u32,
    last_verified: &'a str,
}

/// A base blueprint as the manifest records it.
#[derive(Debug, Clone, Serialize)]
pub struct BaseRecord {
    /// Relative to the client blueprint's folder, with `/` separators: the same on every
    /// machine that synthesizes the client.
    pub path: String,
    /// SHA-256 of the base's bytes, in hex: what `sha256sum` prints for the file.
    pub sha256: String,
}

impl BaseRecord {
    pub fn new(path: String, text: &str) -> BaseRecord {
        BaseRecord {
            path,
            sha256: sha256_hex(text.as_bytes()),
        }
    }
}

/// SHA-256 (FIPS 180-4) of `data`, in lowercase hex. A few lines here rather than a crate for
/// one digest of a few kilobytes per synth; the tests hold it to the standard's vectors.
fn sha256_hex(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

/// The path of the manifest in a client folder.
pub const PATH: &str = "manifest.json";

/// The manifest file of a client's emitted units and of the other files of its generation.
pub fn manifest(
    client: &str,
    catalog: &Catalog,
    bases: &[BaseRecord],
    units: &[UnitEntry],
    files: &[String],
) -> OutFile {
    let mut units: Vec<&UnitEntry> = units.iter().collect();
    units.sort_by(|a, b| (a.target, a.deploy_order).cmp(&(b.target, b.deploy_order)));
    let manifest = Manifest {
        comment:
            "Generated by tarmac. Deploy units in increasing deploy_order; units of one order \
            are independent.",
        client,
        generator: concat!("tarmac ", env!("CARGO_PKG_VERSION")),
        catalog: Stamp {
            version: catalog.version,
            last_verified: &catalog.last_verified,
        },
        bases,
        units,
        files,
    };
    OutFile {
        path: String::from(PATH),
        contents: to_pretty_json(&manifest),
    }
}

#[cfg(test)]
mod tests {
    use super::sha256_hex;

    #[test]
    fn sha256_matches_the_standard_vectors() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // Two blocks: the padding does not fit the first.
        assert_eq!(
            sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            sha256_hex(&[b'a'; 1000]),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
        );
    }
}
