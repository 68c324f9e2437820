// One exceptional action (Art. 7) per stream `exception-<id>`: REQUESTED → (ENDORSED) → UNDER_EXAMINATION
// → APPROVED | REJECTED; APPROVED (ACTIVE while its period runs) → END_REPORTED → CLOSED, or OVERDUE
// when the period ends without an end report (still accepting one), or REVOKED while in force.
import type { Decider } from '../shared/decider.js'
import type { ExceptionCommand } from './commands.js'
import { approveException, endorseException, rejectException, startExamination } from './decisions.js'
import { closeException, markExceptionOverdue, reportExceptionEnd, revokeException } from './ending.js'
import type { ExceptionEvent } from './events.js'
import { fileEmergencyException, requestException } from './request.js'
import { evolveException, initialExceptionState, type ExceptionState } from './state.js'

export const exceptionDecider: Decider<ExceptionCommand, ExceptionEvent, ExceptionState> = {
  streamType: 'exception',
  initialState: initialExceptionState,
  evolve: evolveException,
  decide: (command, state) => {
    switch (command.type) {
      case 'RequestException': return requestException(command, state)
      case 'FileEmergencyException': return fileEmergencyException(command, state)
      case 'EndorseException': return endorseException(command, state)
      case 'StartExamination': return startExamination(command, state)
      case 'ApproveException': return approveException(command, state)
      case 'RejectException': return rejectException(command, state)
      case 'ReportExceptionEnd': return reportExceptionEnd(command, state)
      case 'CloseException': return closeException(command, state)
      case 'RevokeException': return revokeException(command, state)
      case 'MarkExceptionOverdue': return markExceptionOverdue(command, state)
    }
  },
}

export const exceptionStreamId = (exceptionId: string) => `exception-${exceptionId}`
