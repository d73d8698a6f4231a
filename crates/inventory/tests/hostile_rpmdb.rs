//! Hostile rpm databases: each is built here (SQLite ones with rusqlite, NDB and Berkeley DB
//! ones derived from the real databases in testdata/rpmdb) and must end in a one-line
//! refusal, never a hang, an unbounded allocation or a list of copies.

use std::path::Path;

use drydock_inventory::{Analyzer, RpmBdbAnalyzer, RpmNdbAnalyzer, RpmSqliteAnalyzer};
use rusqlite::{Connection, MAIN_DB};

fn testdata(rel: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/rpmdb")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The bytes of an SQLite database made by `sql`.
fn sqlite_db(sql: &str) -> Vec<u8> {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(sql).unwrap();
    conn.serialize(MAIN_DB).unwrap().to_vec()
}

fn refusal(analyzer: &dyn Analyzer, path: &str, db: &[u8]) -> String {
    match analyzer.analyze(path, db) {
        Ok(a) => panic!("{path}: accepted with {} packages", a.packages.len()),
        Err(e) => {
            assert_eq!(e.path, path);
            assert!(!e.message.contains('\n'), "one line: {}", e.message);
            e.message
        }
    }
}

const SQLITE: &str = "var/lib/rpm/rpmdb.sqlite";

#[test]
fn sqlite_view_that_never_returns_a_row_is_not_run() {
    // Run as a query this recursion never ends and never yields a row.
    let db = sqlite_db(
        "CREATE VIEW Packages AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)
         SELECT NULL AS blob FROM r WHERE i < 0;",
    );
    let msg = refusal(&RpmSqliteAnalyzer, SQLITE, &db);
    assert_eq!(
        msg,
        "sqlite: Packages is a view, not a table (SQL the image defines is not run)"
    );
}

#[test]
fn sqlite_view_streaming_megabyte_blobs_forever_is_not_run() {
    let db = sqlite_db(
        "CREATE VIEW Packages AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)
         SELECT zeroblob(1048576) AS blob FROM r;",
    );
    assert!(
        db.len() < 16 << 10,
        "the hostile file is {} bytes",
        db.len()
    );
    let msg = refusal(&RpmSqliteAnalyzer, SQLITE, &db);
    assert!(msg.contains("Packages is a view"), "{msg}");
}

#[test]
fn sqlite_generated_blob_column_is_not_stored_data() {
    let db = sqlite_db(
        "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB AS (zeroblob(1048576)));
         WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 5000)
         INSERT INTO Packages (hnum) SELECT i FROM r;",
    );
    let msg = refusal(&RpmSqliteAnalyzer, SQLITE, &db);
    assert_eq!(
        msg,
        "sqlite: Packages.blob is a generated column, not stored data"
    );
}

#[test]
fn sqlite_default_values_cannot_amplify_past_the_file() {
    // Rows written before `blob` was added read back as its default: 20,000 rows of a 64 KiB
    // default would be 1.3 GB from a file of a few hundred KB.
    let default = "00".repeat(64 << 10);
    let db = sqlite_db(&format!(
        "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY);
         WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 20000)
         INSERT INTO Packages (hnum) SELECT i FROM r;
         ALTER TABLE Packages ADD COLUMN blob BLOB DEFAULT x'{default}';"
    ));
    assert!(db.len() < 1 << 20, "the hostile file is {} bytes", db.len());
    let msg = refusal(&RpmSqliteAnalyzer, SQLITE, &db);
    assert_eq!(
        msg,
        format!(
            "sqlite: Packages returned more than the file's {} bytes; refused",
            db.len()
        )
    );
}

#[test]
fn sqlite_without_packages_or_blob() {
    let db = sqlite_db("CREATE TABLE Other (x);");
    assert_eq!(
        refusal(&RpmSqliteAnalyzer, SQLITE, &db),
        "sqlite: no Packages table"
    );
    let db = sqlite_db("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, data BLOB);");
    assert_eq!(
        refusal(&RpmSqliteAnalyzer, SQLITE, &db),
        "sqlite: Packages has no blob column"
    );
}

#[test]
fn sqlite_real_database_still_reads() {
    let db = testdata("cbl-mariner-2.0/rpmdb.sqlite");
    let a = RpmSqliteAnalyzer.analyze(SQLITE, &db).unwrap();
    assert_eq!(a.packages.len(), 129);
}

/// The sle15-bci NDB with every one of its 254 slots pointing at the first package's blob.
#[test]
fn ndb_slots_sharing_one_blob_are_refused() {
    let mut db = testdata("sle15-bci/Packages.db");
    let le32 = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let slots_end = le32(&db, 12) as usize * 4096;
    let first = (32..slots_end)
        .step_by(16)
        .find(|&at| le32(&db, at + 8) != 0)
        .unwrap();
    let target: Vec<u8> = db[first + 4..first + 16].to_vec();
    let mut slots = 0;
    for at in (32..slots_end).step_by(16) {
        db[at + 4..at + 16].copy_from_slice(&target);
        slots += 1;
    }
    assert_eq!(slots, 254);
    let msg = refusal(&RpmNdbAnalyzer, "var/lib/rpm/Packages.db", &db);
    assert!(
        msg.starts_with("slots at 32 and 48 share blob blocks") && msg.ends_with("refused"),
        "{msg}"
    );
    // Unchanged, the same file reads its 35 packages.
    let real = testdata("sle15-bci/Packages.db");
    let a = RpmNdbAnalyzer
        .analyze("var/lib/rpm/Packages.db", &real)
        .unwrap();
    assert_eq!(a.packages.len(), 35);
}

/// The libuuid Berkeley DB with 1,000 more index pairs on its hash page, all naming the
/// one off-page item (whose overflow chain holds the libuuid header).
#[test]
fn bdb_items_sharing_one_overflow_chain_are_refused() {
    let mut db = testdata("libuuid/Packages");
    const PAGE: usize = 4096;
    let page = &mut db[2 * PAGE..3 * PAGE];
    assert_eq!(
        (page[25], u16::from_le_bytes([page[20], page[21]])),
        (13, 2)
    );
    let pair = [page[26], page[27], page[28], page[29]];
    let copies = 1000;
    for i in 1..=copies {
        page[26 + 4 * i..30 + 4 * i].copy_from_slice(&pair);
    }
    let entries = u16::try_from(2 * (copies + 1)).unwrap();
    page[20..22].copy_from_slice(&entries.to_le_bytes());
    let msg = refusal(&RpmBdbAnalyzer, "var/lib/rpm/Packages", &db);
    assert!(
        msg.starts_with("overflow page ") && msg.ends_with("two items sharing one chain); refused"),
        "{msg}"
    );
    let real = testdata("libuuid/Packages");
    let a = RpmBdbAnalyzer
        .analyze("var/lib/rpm/Packages", &real)
        .unwrap();
    assert_eq!(a.packages.len(), 1);
}
