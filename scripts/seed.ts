import { connect } from "../db/client";
import { hasData, seedDemo } from "../lib/demo";

// `npm run db:seed`: demo data into the database DATABASE_URL names, only if it is empty.
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the database to seed.");
  process.exit(1);
}
const database = connect(url, { max: 2 });
try {
  if (await hasData(database.db)) console.log("The database already has users; demo data not added.");
  else {
    await seedDemo(database.db);
    console.log("Demo data added.");
  }
} finally {
  await database.close();
}
