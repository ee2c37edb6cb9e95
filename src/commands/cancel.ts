/** Thrown when the user backs out of a flow: the command wrapper ends it quietly. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}
