-- Customer accounts of the demo: what the demo flow's balance lookup reads (the query
-- `account_balance` in config/flows/main.yaml). A real site points its own queries at its own
-- tables; this one only gives the shipped flow something to find. Rows: config/demo.
CREATE TABLE demo_accounts (
    account_number text          PRIMARY KEY CHECK (account_number ~ '^[0-9]{4,20}$'),
    holder         text          NOT NULL,
    balance        numeric(14,2) NOT NULL
);
