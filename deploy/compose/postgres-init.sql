-- One database per service (no service reads another's). Runs once, when the data volume is created.
CREATE DATABASE ticketing_catalog;
CREATE DATABASE ticketing_orders;
CREATE DATABASE ticketing_tickets;
CREATE DATABASE ticketing_insights;
CREATE DATABASE ticketing_queue;
