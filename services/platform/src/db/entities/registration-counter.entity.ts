import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Last registration number (立案号) given per year; incremented under a row lock. */
@Entity('registration_counters')
export class RegistrationCounterEntity {
  @PrimaryColumn({ type: 'int' }) year: number;
  @Column({ name: 'last_no', type: 'int', default: 0 }) lastNo: number;
}
