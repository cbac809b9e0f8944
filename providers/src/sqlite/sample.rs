//! The sample database: a small shop, created by our code on first use, so the server answers
//! on a fresh machine with no database given.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

const SCHEMA: &str = "
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    country TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0)
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    ordered_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'placed'
);
CREATE TABLE order_items (
    order_id INTEGER NOT NULL REFERENCES orders (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL,
    PRIMARY KEY (order_id, product_id)
);
CREATE INDEX orders_by_customer ON orders (customer_id);
CREATE VIEW order_totals AS
    SELECT o.id AS order_id, c.name AS customer, SUM(i.quantity * i.unit_price_cents) AS total_cents
    FROM orders o JOIN customers c ON c.id = o.customer_id JOIN order_items i ON i.order_id = o.id
    GROUP BY o.id;
";

const CUSTOMERS: &[(i64, &str, &str, &str, &str)] = &[
    (1, "Ada Lovelace", "ada@example.com", "GB", "2026-01-04"),
    (2, "Grace Hopper", "grace@example.com", "US", "2026-01-19"),
    (
        3,
        "Katherine Johnson",
        "katherine@example.com",
        "US",
        "2026-02-02",
    ),
    (
        4,
        "Margaret Hamilton",
        "margaret@example.com",
        "US",
        "2026-02-27",
    ),
    (5, "Hedy Lamarr", "hedy@example.com", "AT", "2026-03-15"),
    (6, "Radia Perlman", "radia@example.com", "US", "2026-04-08"),
];

const PRODUCTS: &[(i64, &str, &str, i64)] = &[
    (1, "Mechanical keyboard", "hardware", 12900),
    (2, "USB-C dock", "hardware", 8900),
    (3, "Noise-cancelling headphones", "audio", 24900),
    (4, "Desk lamp", "office", 3900),
    (5, "Notebook (pack of 3)", "office", 1200),
    (6, "Monitor arm", "hardware", 7400),
];

const ORDERS: &[(i64, i64, &str, &str)] = &[
    (1, 1, "2026-03-01", "delivered"),
    (2, 2, "2026-03-03", "delivered"),
    (3, 1, "2026-03-20", "shipped"),
    (4, 3, "2026-04-02", "delivered"),
    (5, 4, "2026-04-11", "cancelled"),
    (6, 5, "2026-05-06", "shipped"),
    (7, 2, "2026-05-21", "placed"),
    (8, 6, "2026-06-09", "placed"),
];

const ORDER_ITEMS: &[(i64, i64, i64, i64)] = &[
    (1, 1, 1, 12900),
    (1, 5, 2, 1200),
    (2, 3, 1, 24900),
    (3, 2, 1, 8900),
    (3, 4, 1, 3900),
    (4, 6, 2, 7400),
    (5, 3, 1, 24900),
    (6, 1, 1, 12900),
    (6, 4, 1, 3900),
    (7, 5, 5, 1200),
    (8, 2, 1, 8900),
    (8, 6, 1, 7400),
];

/// Where the sample lives when no database is named.
pub fn default_path() -> PathBuf {
    std::env::temp_dir()
        .join("mcp-providers")
        .join("sample.sqlite")
}

/// Creates the sample at `path` unless it exists. It is written beside its final name and
/// renamed into place, so concurrent first runs never see half a database.
pub fn ensure(path: &Path) -> Result<(), String> {
    if path.exists() {
        return Ok(());
    }
    let dir = path.parent().ok_or("the sample path has no directory")?;
    std::fs::create_dir_all(dir)
        .map_err(|error| format!("cannot create `{}`: {error}", dir.display()))?;
    let partial = dir.join(format!(".sample-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&partial);
    write(&partial).map_err(|error| format!("cannot write the sample database: {error}"))?;
    std::fs::rename(&partial, path)
        .map_err(|error| format!("cannot move the sample database into place: {error}"))
}

fn write(path: &Path) -> rusqlite::Result<()> {
    let mut connection = Connection::open(path)?;
    let transaction = connection.transaction()?;
    transaction.execute_batch(SCHEMA)?;
    for (id, name, email, country, created_at) in CUSTOMERS {
        transaction.execute(
            "INSERT INTO customers VALUES (?1, ?2, ?3, ?4, ?5)",
            (id, name, email, country, created_at),
        )?;
    }
    for (id, name, category, price) in PRODUCTS {
        transaction.execute(
            "INSERT INTO products VALUES (?1, ?2, ?3, ?4)",
            (id, name, category, price),
        )?;
    }
    for (id, customer, ordered_at, status) in ORDERS {
        transaction.execute(
            "INSERT INTO orders VALUES (?1, ?2, ?3, ?4)",
            (id, customer, ordered_at, status),
        )?;
    }
    for (order, product, quantity, price) in ORDER_ITEMS {
        transaction.execute(
            "INSERT INTO order_items VALUES (?1, ?2, ?3, ?4)",
            (order, product, quantity, price),
        )?;
    }
    transaction.commit()
}
