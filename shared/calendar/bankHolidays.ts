import Holidays from "date-holidays";
import type { LocalDate } from "./londonTime";

const englandAndWales = new Holidays("GB", "ENG");

/** Bank holidays of England and Wales in a year, substitute days included. */
export function englandAndWalesBankHolidays(year: number): LocalDate[] {
  return englandAndWales
    .getHolidays(year)
    .filter((h) => h.type === "public" || h.type === "bank")
    .map((h) => h.date.slice(0, 10));
}
