/** A short suffix that keeps names made by one run apart from every other run's on the same database. */
export const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
